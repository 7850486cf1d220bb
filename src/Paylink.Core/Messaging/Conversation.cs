using Paylink.Core.Common;

namespace Paylink.Core.Messaging;

/// <summary>
/// Everything said between a merchant and one client on one channel account (a Telegram chat, a phone
/// number, a mailbox, a web-chat visitor). A client who writes from two channels has two conversations
/// sharing <see cref="CustomerId"/> once known.
/// </summary>
public sealed class Conversation : IMerchantOwned
{
    public const int MaxDisplayName = 200;

    private Conversation() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    /// <summary>The channel provider id (telegram, exolve, email, webchat).</summary>
    public string Channel { get; private set; } = "";
    /// <summary>The recipient normalised by the channel (chat id, E.164 phone, e-mail, visitor id).</summary>
    public string Address { get; private set; } = "";
    public string? CustomerId { get; private set; }
    public string? DisplayName { get; private set; }
    public string Language { get; private set; } = "ru";
    /// <summary>An inbound message (or a reminder escalation) waits for a person to answer.</summary>
    public bool NeedsReply { get; private set; }
    /// <summary>The client said "стоп": no reminders or marketing on this channel any more.</summary>
    public bool OptedOut { get; private set; }
    public DateTimeOffset? OptedOutAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }

    /// <summary>The assistant's memory of this conversation (JSON of the dialogue state); null = fresh.</summary>
    public string? AssistantState { get; private set; }
    /// <summary>The last inbound message the assistant has answered (messages are answered in order).</summary>
    public string? AssistantCursor { get; private set; }
    /// <summary>Until when one assistant run holds the conversation (so two runs never answer the same messages).</summary>
    public DateTimeOffset? AssistantLeaseUntil { get; private set; }
    /// <summary>A person has taken over: the assistant stays quiet until a manager hands the conversation back.</summary>
    public bool AssistantPaused { get; private set; }

    /// <summary>Erasure (152-FZ): the chat address becomes a placeholder unique per conversation, the name and the
    /// assistant's dialogue state (which may quote the client) are dropped.</summary>
    public void Anonymise()
    {
        Address = "erased:" + Id;
        DisplayName = null;
        AssistantState = null;
    }
    public const int MaxAssistantState = 4000;

    public static Conversation Create(string merchantId, string accountId, string channel, string address, string? customerId,
        string? displayName, string? language, TimeProvider clock) => new()
        {
            Id = Ids.New("cnv", clock), MerchantId = merchantId, AccountId = accountId, Channel = channel, Address = address,
            CustomerId = customerId, DisplayName = Trim(displayName), Language = language == "en" ? "en" : "ru", CreatedAt = clock.GetUtcNow(), LastMessageAt = clock.GetUtcNow(),
        };

    public void Touch(DateTimeOffset at)
    {
        if (at > LastMessageAt) LastMessageAt = at;
    }

    public void LinkCustomer(string? customerId) => CustomerId ??= customerId;

    /// <summary>Records what the assistant remembers after answering <paramref name="messageId"/>.</summary>
    public void Answered(string messageId, string? state, bool paused)
    {
        AssistantCursor = messageId;
        AssistantState = state;
        AssistantPaused = paused;
        if (paused) NeedsReply = true;
    }

    /// <summary>A manager stops (<paramref name="paused"/>) or resumes the assistant; resuming starts from a fresh state.</summary>
    public void SetAssistantPaused(bool paused)
    {
        AssistantPaused = paused;
        if (!paused) AssistantState = null;
    }
    public void Named(string? displayName) => DisplayName ??= Trim(displayName);
    public void MarkNeedsReply() => NeedsReply = true;

    /// <summary>The language the client writes in, as the assistant read it ("ru" or "en"); later messages to them use it.</summary>
    public void SpeaksIn(string? language)
    {
        if (language is "ru" or "en") Language = language;
    }
    public void MarkReplied() => NeedsReply = false;

    /// <summary>Records the opt-out; false when it was already recorded (so the confirmation goes once).</summary>
    public bool OptOut(DateTimeOffset at)
    {
        if (OptedOut) return false;
        OptedOut = true;
        OptedOutAt = at;
        return true;
    }

    /// <summary>The client wrote "/start" or otherwise asked to hear from the merchant again.</summary>
    public void OptIn()
    {
        OptedOut = false;
        OptedOutAt = null;
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length > MaxDisplayName ? s.Trim()[..MaxDisplayName] : s.Trim();
}
