using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Messaging;

public sealed record SendLinkRequest(string? ChannelAccount, string? To, string? Template);

/// <summary>
/// POST /links/{id}/send: renders the link's invoice (or another link template) for a client on one channel
/// account, queues it for the <c>message.send</c> job and plans the unpaid-link reminders. Nothing is
/// written when the link, account or recipient is wrong. When the merchant made SBP the default method and its
/// gateway takes SBP for this link, the pay button is «Оплатить через СБП» and opens the pay page's SBP step.
/// </summary>
public sealed class SendLinkMessage(AppDbContext db, ChannelAccounts accounts, MessageOutbox outbox, MessageTemplates templates,
    MerchantCache merchants, PublicUrls urls, ScheduleLinkReminders reminders, TimeProvider clock,
    Payments.SbpPayPage sbp, Payments.PaymentMethodSettingsStore methods)
{
    /// <summary>Templates that make sense for a link.</summary>
    public static readonly string[] LinkTemplates =
        [TemplateEvents.Invoice, TemplateEvents.Reminder, TemplateEvents.PrepaymentOffer, TemplateEvents.PaymentReceived,
         TemplateEvents.ReceiptLink, TemplateEvents.LinkExpired, TemplateEvents.RefundDone];

    public async Task<Result<ChannelMessage>> HandleAsync(string merchantId, string linkId, SendLinkRequest r, CancellationToken ct)
    {
        var link = await db.PaymentLinks.FirstOrDefaultAsync(l => l.Id == linkId, ct);
        if (link is null) return Error.NotFound($"Link '{linkId}'");
        if (string.IsNullOrWhiteSpace(r.ChannelAccount)) return Error.Validation("channelAccount", "channelAccount is required: the id of a channel account.");
        var found = await accounts.FindAsync(r.ChannelAccount, ct);
        if (!found.IsSuccess) return found.Error!;
        var account = found.Value;
        if (!account.Enabled) return Error.Conflict("channel_disabled", "The channel account is disabled; enable it first.");
        var template = string.IsNullOrEmpty(r.Template) ? TemplateEvents.Invoice : r.Template;
        if (!LinkTemplates.Contains(template))
            return Error.Validation("template", $"template must be one of: {string.Join(", ", LinkTemplates)}.");
        var now = clock.GetUtcNow();
        var forOpenLink = template is TemplateEvents.Invoice or TemplateEvents.Reminder or TemplateEvents.PrepaymentOffer;
        if (forOpenLink && link.StatusAt(now) != LinkStatus.Open)
            return Error.Conflict("link_not_open", $"The link is {link.StatusAt(now).ToWire()}; only an open link can be sent for payment.");
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        if (string.IsNullOrWhiteSpace(r.To)) return Error.Validation("to", "to is required: a chat id, phone or e-mail for this channel.");
        var to = opened.Value.Channel.NormalizeRecipient(r.To);
        if (!to.IsSuccess) return to.Error!;

        var merchant = await merchants.GetAsync(merchantId, ct) ?? throw new InvalidOperationException("Merchant of the request is missing.");
        var customer = link.CustomerId is null ? null : await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == link.CustomerId, ct);
        var conversation = await outbox.ConversationAsync(db, account, to.Value, link.CustomerId, customer?.Name, null, ct);
        var message = await QueueAsync(conversation, link, merchant, customer?.Name, template, ct);
        if (template == TemplateEvents.Invoice) await reminders.PlanAsync(db, link, conversation, now, ct);
        return message;
    }

    /// <summary>Renders a link template into a queued message of <paramref name="conversation"/> (not saved).</summary>
    public async Task<ChannelMessage> QueueAsync(Conversation conversation, PaymentLink link, Merchant merchant, string? clientName,
        string template, CancellationToken ct)
    {
        var lang = conversation.Language;
        var payUrl = urls.PayPage(link.Code);
        var (text, _) = await templates.GetAsync(merchant.Id, template, lang, ct);
        var rendered = MessageTemplates.Render(text, LinkTemplateValues.For(link, merchant, clientName, payUrl, lang), lang);
        var withButton = template is TemplateEvents.Invoice or TemplateEvents.Reminder or TemplateEvents.PrepaymentOffer;
        // A link that saves the method needs the consent checkbox of the pay page first (SBP autopay included): the button opens it.
        var button = withButton && !link.SavePaymentMethod && (link.DefaultMethod ?? (await methods.GetAsync(merchant.Id, ct)).DefaultMethod) == "sbp"
            && await sbp.OfferedAsync(link.MerchantId, link.Currency, link.SavePaymentMethod, link.CaptureMode, ct)
            ? LinkTemplateValues.SbpButton(link, payUrl + "/sbp", lang)
            : LinkTemplateValues.PayButton(link, payUrl, lang);
        return outbox.Queue(db, conversation, rendered, link.Id, template, withButton ? [button] : null);
    }
}
