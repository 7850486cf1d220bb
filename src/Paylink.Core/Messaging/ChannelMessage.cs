using Paylink.Core.Common;

namespace Paylink.Core.Messaging;

public static class MessageDirections
{
    public const string Outbound = "out";
    public const string Inbound = "in";
}

/// <summary>Statuses of a message. Outbound: queued → sent → delivered, or queued → failed. Inbound: received.</summary>
public static class MessageStatuses
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Received = "received";
}

/// <summary>
/// One message of a conversation, in either direction. An outbound message is sent by the
/// <c>message.send</c> job; its status only moves forward, so a retried job never sends a sent message again.
/// </summary>
public sealed class ChannelMessage : IMerchantOwned
{
    /// <summary>Longest text stored; longer inbound text is cut (marked with "…").</summary>
    public const int MaxText = 8000;
    public const int MaxError = 500;

    private ChannelMessage() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    public string ConversationId { get; private set; } = "";
    public string Channel { get; private set; } = "";
    public string? LinkId { get; private set; }
    public string Direction { get; private set; } = MessageDirections.Outbound;
    /// <summary>Normalised recipient (outbound) or sender (inbound). Never logged in clear.</summary>
    public string To { get; private set; } = "";
    public string? Template { get; private set; }
    public string? Language { get; private set; }
    public string Text { get; private set; } = "";
    public string? Subject { get; private set; }
    /// <summary>Buttons as JSON [{"text","url"}].</summary>
    public string? ButtonsJson { get; private set; }
    /// <summary>Who wrote an outbound message: system (templates, reminders), manager, assistant.</summary>
    public string? Author { get; private set; }
    public string Status { get; private set; } = MessageStatuses.Queued;
    public string? ProviderMessageId { get; private set; }
    public string? Error { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset? FailedAt { get; private set; }
    /// <summary>The message on the previous channel that this one replaces (it failed or was not delivered in
    /// time); unique, so a message falls back at most once.</summary>
    public string? FallbackFromId { get; private set; }

    public void FallsBackFrom(ChannelMessage previous) => FallbackFromId = previous.Id;

    /// <summary>Erasure (152-FZ): the text, subject and recipient address go; status and times stay for the log.</summary>
    public void Erase()
    {
        Text = "";
        Subject = null;
        To = "";
        ButtonsJson = null;
    }

    public bool IsFinal => Status is MessageStatuses.Sent or MessageStatuses.Delivered or MessageStatuses.Failed or MessageStatuses.Received;

    public static ChannelMessage Outgoing(Conversation c, string? linkId, string? template, string? language, string text, string? subject,
        string? buttonsJson, string author, TimeProvider clock) => new()
        {
            Id = Ids.New("msg", clock), MerchantId = c.MerchantId, AccountId = c.AccountId, ConversationId = c.Id, Channel = c.Channel,
            LinkId = linkId, Direction = MessageDirections.Outbound, To = c.Address, Template = template, Language = language,
            Text = Cut(text), Subject = subject, ButtonsJson = buttonsJson, Author = author, Status = MessageStatuses.Queued, CreatedAt = clock.GetUtcNow(),
        };

    public static ChannelMessage Incoming(Conversation c, string text, string? providerMessageId, TimeProvider clock) => new()
    {
        Id = Ids.New("msg", clock), MerchantId = c.MerchantId, AccountId = c.AccountId, ConversationId = c.Id, Channel = c.Channel,
        Direction = MessageDirections.Inbound, To = c.Address, Text = Cut(text), ProviderMessageId = providerMessageId,
        Status = MessageStatuses.Received, CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>Cuts to <see cref="MaxText"/> without splitting a surrogate pair and drops NULs (PostgreSQL text refuses them).</summary>
    public static string Cut(string text)
    {
        if (text.Contains('\0')) text = text.Replace("\0", "", StringComparison.Ordinal);
        if (text.Length <= MaxText) return text;
        var end = MaxText - 1;
        if (char.IsHighSurrogate(text[end - 1])) end--;
        return string.Concat(text.AsSpan(0, end), "…");
    }

    public bool MarkSent(string? providerMessageId, DateTimeOffset at)
    {
        if (Status != MessageStatuses.Queued) return false;
        Status = MessageStatuses.Sent;
        ProviderMessageId = providerMessageId;
        Attempts++;
        Error = null;
        SentAt = at;
        return true;
    }

    public void AttemptFailed(string error)
    {
        Attempts++;
        Error = Short(error);
    }

    public bool MarkFailed(string error, DateTimeOffset at, bool countAttempt = true)
    {
        if (Status != MessageStatuses.Queued) return false;
        if (countAttempt) Attempts++;
        Status = MessageStatuses.Failed;
        Error = Short(error);
        FailedAt = at;
        return true;
    }

    /// <summary>A provider's delivery report: sent → delivered (never backwards).</summary>
    public bool MarkDelivered(DateTimeOffset at)
    {
        if (Status != MessageStatuses.Sent) return false;
        Status = MessageStatuses.Delivered;
        DeliveredAt = at;
        return true;
    }

    private static string Short(string error) => error.Length <= MaxError ? error : error[..MaxError];
}
