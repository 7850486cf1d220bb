using Paylink.Core.Common;

namespace Paylink.Core.Messaging;

/// <summary>A merchant's own wording of one event's message in one language; absent = the built-in default.</summary>
public sealed class MessageTemplate : IMerchantOwned
{
    public const int MaxText = 2000;

    private MessageTemplate() { }

    public string MerchantId { get; private set; } = "";
    public string Event { get; private set; } = "";
    public string Language { get; private set; } = "ru";
    public string Text { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    public static MessageTemplate Create(string merchantId, string evt, string language, string text, DateTimeOffset at) => new()
    {
        MerchantId = merchantId, Event = evt, Language = language, Text = text, UpdatedAt = at,
    };

    public void Replace(string text, DateTimeOffset at)
    {
        Text = text;
        UpdatedAt = at;
    }
}

/// <summary>A merchant's reminder policy, stored as JSON (see <see cref="ReminderPolicy"/>); absent = defaults.</summary>
public sealed class ReminderPolicyRecord : IMerchantOwned
{
    private ReminderPolicyRecord() { }

    public string MerchantId { get; private set; } = "";
    public string Json { get; private set; } = "";
    public DateTimeOffset UpdatedAt { get; private set; }

    public static ReminderPolicyRecord Create(string merchantId, string json, DateTimeOffset at) => new() { MerchantId = merchantId, Json = json, UpdatedAt = at };

    public void Replace(string json, DateTimeOffset at)
    {
        Json = json;
        UpdatedAt = at;
    }
}
