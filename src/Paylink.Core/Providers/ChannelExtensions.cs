using Paylink.Core.Common;

namespace Paylink.Core.Providers;

/// <summary>A channel whose inbound messages arrive by webhook it must register (Telegram's setWebhook).</summary>
public interface IChannelWebhookRegistration
{
    /// <summary>Points the provider at <see cref="ChannelContext.WebhookUrl"/>, asking it to send <paramref name="secret"/>
    /// with every update. Returns a short human description.</summary>
    Task<Result<string>> RegisterWebhookAsync(ChannelContext context, string secret, CancellationToken ct);
}

/// <summary>A native in-chat invoice (Telegram Payments): the client pays without leaving the chat.</summary>
/// <param name="Payload">Our reference returned in pre_checkout_query/successful_payment (the link id).</param>
public sealed record ChannelInvoice(string Payload, string Title, string Description, string Currency, long AmountMinor);

/// <summary>A channel that can send a native invoice when the account is set up for it.</summary>
public interface IChannelNativeInvoice
{
    /// <summary>True when this account's settings allow native invoices (e.g. a payments provider token is set).</summary>
    bool SupportsInvoices(ChannelContext context);

    Task<ChannelSendResult> SendInvoiceAsync(ChannelContext context, OutgoingChannelMessage message, ChannelInvoice invoice, CancellationToken ct);
}
