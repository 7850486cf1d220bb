using Paylink.Core.Common;

namespace Paylink.Core.PersonalData;

/// <summary>
/// One version of a merchant's consent document (согласие на обработку ПДн, a separate document since
/// 1 Sep 2025). Versions are append-only: a consent record names the version the client accepted, so the
/// text they saw can always be shown again. Version 0 is the built-in default text (never stored).
/// </summary>
public sealed class ConsentDocument : IMerchantOwned
{
    public const int MaxText = 20_000;

    private ConsentDocument() { }

    public string MerchantId { get; private set; } = "";
    public int Version { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static ConsentDocument Create(string merchantId, int version, string text, DateTimeOffset at) =>
        new() { MerchantId = merchantId, Version = version, Text = text, CreatedAt = at };
}

/// <summary>The fact that a client accepted a consent document version: when, through which channel, from where.</summary>
public sealed class ConsentRecord : IMerchantOwned
{
    public const int MaxUserAgent = 300;

    private ConsentRecord() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string? CustomerId { get; private set; }
    public string? ConversationId { get; private set; }
    public string? LinkId { get; private set; }
    /// <summary>pay_page, web_chat, telegram, sms, email, api (recorded by the merchant, e.g. a paper consent).</summary>
    public string Channel { get; private set; } = "";
    public int DocumentVersion { get; private set; }
    public string? Ip { get; private set; }
    public string? UserAgent { get; private set; }
    public DateTimeOffset At { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }

    public static ConsentRecord Create(string merchantId, string? customerId, string? conversationId, string? linkId, string channel,
        int version, string? ip, string? userAgent, TimeProvider clock) => new()
    {
        Id = Ids.New("cns", clock), MerchantId = merchantId, CustomerId = customerId, ConversationId = conversationId, LinkId = linkId,
        Channel = channel, DocumentVersion = version, Ip = ip is { Length: > 45 } ? ip[..45] : ip,
        UserAgent = userAgent is { Length: > MaxUserAgent } ? userAgent[..MaxUserAgent] : userAgent, At = clock.GetUtcNow(),
    };

    /// <summary>Erasure keeps the fact and the version (evidence of lawful processing) but drops where it came from.</summary>
    public void Anonymise()
    {
        Ip = null;
        UserAgent = null;
    }

    public void Withdraw(DateTimeOffset at) => WithdrawnAt ??= at;
}

/// <summary>Who viewed, exported or erased a client's personal data (the event log an act of destruction extracts).</summary>
public sealed class PersonalDataAuditEntry : IMerchantOwned
{
    private PersonalDataAuditEntry() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string? CustomerId { get; private set; }
    /// <summary>view, export, erase, retention_erase, consent_document, settings.</summary>
    public string Action { get; private set; } = "";
    /// <summary>"user:&lt;e-mail&gt;", "api-key:&lt;hash prefix&gt;" or "system:retention"; never a secret.</summary>
    public string Actor { get; private set; } = "";
    public string? Detail { get; private set; }
    public DateTimeOffset At { get; private set; }

    public static PersonalDataAuditEntry Create(string merchantId, string? customerId, string action, string actor, string? detail, TimeProvider clock) =>
        new() { Id = Ids.New("pda", clock), MerchantId = merchantId, CustomerId = customerId, Action = action, Actor = actor, Detail = detail, At = clock.GetUtcNow() };
}

public static class PersonalDataActions
{
    public const string View = "view";
    public const string Export = "export";
    public const string Erase = "erase";
    public const string RetentionErase = "retention_erase";
    public const string ConsentDocument = "consent_document";
    public const string Settings = "settings";
    public const string DestructionAct = "destruction_act";
}
