using System.Text.Json.Nodes;
using Paylink.Core.Common;

namespace Paylink.Core.Providers;

/// <summary>
/// A way to reach a client: <c>telegram</c>, <c>exolve</c> (SMS), <c>email</c>, <c>webchat</c>, <c>console</c>.
/// One instance serves all merchants; per-merchant settings arrive in <see cref="ChannelContext"/>.
/// Implementations never let SDK types out of their folder and never log recipients or texts in clear.
/// </summary>
public interface IMessageChannel : IConfigurableProvider
{
    /// <summary>Normalises a recipient for this channel (Telegram chat id, E.164 phone, e-mail address,
    /// web-chat visitor id). A validation error names the field <c>to</c>.</summary>
    Result<string> NormalizeRecipient(string to);

    /// <summary>How the channel renders text, so previews and templates can adapt (SMS segments, HTML).</summary>
    ChannelTraits Traits { get; }

    /// <summary>
    /// Sends one message. Called from the messaging job, possibly more than once for the same
    /// <see cref="OutgoingChannelMessage.MessageId"/> (at-least-once): use it as the idempotency key where
    /// the provider has one. Never throws for provider answers: timeouts, 5xx and 429 are
    /// <see cref="ChannelSendStatus.Transient"/> (with <c>RetryAfter</c> when given); refusals that
    /// retrying cannot fix (blocked bot, unknown chat, invalid number, rejected mailbox) are
    /// <see cref="ChannelSendStatus.Permanent"/>.
    /// </summary>
    Task<ChannelSendResult> SendAsync(ChannelContext context, OutgoingChannelMessage message, CancellationToken ct);
}

/// <summary>Checks that the account's credentials work with a harmless real call (getMe, SMTP login…).</summary>
public interface IChannelCredentialsCheck
{
    Task<Result<string>> CheckCredentialsAsync(ChannelContext context, CancellationToken ct);
}

/// <param name="SupportsButtons">Inline URL buttons (Telegram, web chat); otherwise the link goes into the text.</param>
/// <param name="SupportsHtml">An HTML body beside the plain text (e-mail).</param>
/// <param name="IsSms">Text is billed per SMS segment (GSM-7 160/153, UCS-2 70/67).</param>
/// <param name="HasInboundWebhook">Client messages arrive at <c>/webhooks/{provider}/{accountId}</c> (shown as the account's webhookUrl).</param>
/// <param name="ReportsDelivery">The provider reports delivery (sent → delivered), so a sent message that is not
/// delivered in time may fall back to the client's next channel.</param>
/// <param name="SupportsAttachments">Files go with the message (e-mail attachments): a счёт's PDF is attached.</param>
/// <param name="ReachesBy">Which contact detail of a customer is an address on this channel (a phone for SMS, an
/// e-mail for mail); None: only a client who wrote first (messengers) can be reached.</param>
/// <param name="IsSiteWidget">Paylink itself hosts the chat (the web chat on the merchant's site): the account has a chat
/// address (<c>settings.slug</c>) and a widget snippet, and its visitors are anonymous until they give a name.</param>
public sealed record ChannelTraits(bool SupportsButtons, bool SupportsHtml, bool IsSms, bool HasInboundWebhook = false, bool ReportsDelivery = false,
    ContactKind ReachesBy = ContactKind.None, bool SupportsAttachments = false, bool IsSiteWidget = false);

/// <summary>A customer's contact detail a channel can write to without a prior conversation.</summary>
public enum ContactKind { None, Phone, Email }

/// <param name="AccountId">The merchant's channel account.</param>
/// <param name="Settings">Decrypted, validated settings.</param>
/// <param name="WebhookUrl">Where this account's inbound updates arrive, when the channel has any.</param>
public sealed record ChannelContext(string MerchantId, string AccountId, JsonObject Settings, string? WebhookUrl);

/// <summary>One message to one recipient, already rendered from a template in the recipient's language.</summary>
/// <param name="MessageId">Our id of the outgoing message: idempotency key and log correlation.</param>
/// <param name="To">A recipient normalised by <see cref="IMessageChannel.NormalizeRecipient"/>.</param>
/// <param name="Subject">E-mail subject; ignored by chat channels.</param>
/// <param name="Html">E-mail HTML body; ignored by channels without <see cref="ChannelTraits.SupportsHtml"/>.</param>
/// <param name="Headers">Extra e-mail headers such as <c>List-Unsubscribe</c> and <c>Auto-Submitted</c>.</param>
/// <param name="Attachments">Files to attach (a счёт's PDF) where the channel takes files (e-mail); other channels ignore
/// them, so <see cref="Text"/> must stand on its own (it carries a link to the same file).</param>
public sealed record OutgoingChannelMessage(
    string MessageId, string To, string Text, string? Subject = null, string? Html = null,
    IReadOnlyList<MessageButton>? Buttons = null, IReadOnlyDictionary<string, string>? Headers = null,
    IReadOnlyList<MessageAttachment>? Attachments = null);

/// <summary>A file sent with a message, rendered when the message is sent (never stored in the outbox).</summary>
public sealed record MessageAttachment(string FileName, string ContentType, byte[] Content);

public sealed record MessageButton(string Text, string Url);

public enum ChannelSendStatus { Sent, Transient, Permanent }

/// <param name="ProviderMessageId">The provider's id for the sent message (delivery status look-ups).</param>
/// <param name="Error">A short, secret-free reason for Transient/Permanent.</param>
public sealed record ChannelSendResult(ChannelSendStatus Status, string? ProviderMessageId = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static ChannelSendResult Sent(string? providerMessageId) => new(ChannelSendStatus.Sent, providerMessageId);
    public static ChannelSendResult Transient(string error, TimeSpan? retryAfter = null) => new(ChannelSendStatus.Transient, null, error, retryAfter);
    public static ChannelSendResult Permanent(string error) => new(ChannelSendStatus.Permanent, null, error);
}
