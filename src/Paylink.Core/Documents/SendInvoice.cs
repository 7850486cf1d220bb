using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;
using Paylink.Core.Providers;

namespace Paylink.Core.Documents;

/// <param name="Channel">A channel provider id (<c>email</c>, <c>telegram</c>, …: the merchant's first enabled account of it) or a channel account id.</param>
/// <param name="To">The recipient on that channel; for e-mail it defaults to the buyer's e-mail on the счёт.</param>
public sealed record SendInvoiceRequest(string? Channel = null, string? To = null);

/// <param name="AlreadySent">True when this счёт was already sent to this recipient on this account: nothing new was queued.</param>
public sealed record SentInvoice(ChannelMessage Message, bool AlreadySent);

/// <summary>
/// Sends a счёт to the buyer: one message on a channel account, queued through <see cref="MessageOutbox"/> (job
/// <c>message.send</c>) with template <see cref="Template"/> and the счёт's link, so it is recorded as a sent message of
/// the link like any other send. The sending job attaches the PDF where the channel takes files (e-mail; see
/// <see cref="SendChannelMessage"/>); every message also carries the number, amount, due date, the card/SBP link and the
/// public PDF link. Once per (счёт, account, recipient): a second request — a double click, a retried call, a
/// concurrent one — answers the first message (<see cref="SentInvoice.AlreadySent"/>), unless that one failed.
/// </summary>
public sealed class SendInvoice(AppDbContext db, ChannelAccounts accounts, MessageOutbox outbox, PublicUrls urls, TimeProvider clock)
{
    /// <summary>The message template of a счёт sent as a document (not a merchant-editable template: the text is the document's).</summary>
    public const string Template = "document.invoice";
    private const string Operation = "invoices.send";

    /// <summary>The public PDF of the счёт beside its pay page (the link's code is the capability, as for the pay page).</summary>
    public static string PdfUrl(PublicUrls urls, Invoice i) => urls.PayPage(i.LinkCode) + "/invoice.pdf";

    public async Task<Result<SentInvoice>> HandleAsync(string merchantId, string invoiceId, SendInvoiceRequest r, CancellationToken ct)
    {
        var invoice = await db.Invoices.AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId && i.MerchantId == merchantId, ct);
        if (invoice is null) return Error.NotFound($"Invoice '{invoiceId}'");
        if (invoice.Status == InvoiceStatus.Cancelled) return Error.Conflict("invoice_cancelled", $"Invoice № {invoice.NumberText} is cancelled; it is not sent.");
        var channel = r.Channel?.Trim();
        if (string.IsNullOrEmpty(channel)) return Error.Validation("channel", "channel is required: email, telegram, … or a channel account id.");
        var account = await db.ChannelAccounts.Where(a => a.MerchantId == merchantId && a.DeletedAt == null && (a.Id == channel || a.Provider == channel))
            .OrderByDescending(a => a.Id == channel).ThenByDescending(a => a.Enabled).ThenBy(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        if (account is null) return Error.Validation("channel", $"No channel account '{channel}': add one in Settings → Channels (POST /api/v1/channel-accounts).");
        if (!account.Enabled) return Error.Conflict("channel_disabled", "The channel account is disabled; enable it first.");
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return opened.Error!;
        var provider = opened.Value.Channel;
        var toText = string.IsNullOrWhiteSpace(r.To) ? (provider.Traits.ReachesBy == ContactKind.Email ? invoice.BuyerEmail : null) : r.To;
        if (toText is null)
            return Error.Validation("to", provider.Traits.ReachesBy == ContactKind.Email
                ? "to is required: the счёт has no buyer e-mail."
                : "to is required: a chat id, phone or address on this channel.");
        var to = provider.NormalizeRecipient(toText);
        if (!to.IsSuccess) return to.Error!;

        var existing = await ExistingAsync(invoice, account.Id, to.Value, ct);
        if (existing is not null) return new SentInvoice(existing, true);

        var hash = Hashing.Sha256Hex($"{invoice.Id}\n{account.Id}\n{to.Value}");
        var key = "invoice-send:" + hash;
        var conversation = await outbox.ConversationAsync(db, account, to.Value, null, null, null, ct);
        var lang = conversation.Language;
        var payUrl = urls.PayPage(invoice.LinkCode);
        var (subject, text) = Wording(invoice, payUrl, PdfUrl(urls, invoice), lang);
        var button = new MessageButton(Localization.Texts.For(lang).Format("Оплатить {0}", MoneyFormat.Format(invoice.Amount, lang)), payUrl);
        var message = outbox.Queue(db, conversation, text, invoice.LinkId, Template, [button], subject: subject);
        // The record's unique (merchant, key) makes a concurrent second send lose here instead of queueing a second message.
        db.IdempotencyRecords.Add(IdempotencyRecord.Create(merchantId, key, Operation, hash, 202, message.Id, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
            return new SentInvoice(message, false);
        }
        catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(x => x.MerchantId == merchantId && x.Key == key, ct);
            var first = record is null ? null : await db.ChannelMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == record.ResponseBody, ct);
            if (first is null) throw;
            return new SentInvoice(first, true);
        }
    }

    /// <summary>The earlier message of this счёт to this recipient on this account that has not failed (a failed one may be sent again).</summary>
    private async Task<ChannelMessage?> ExistingAsync(Invoice invoice, string accountId, string to, CancellationToken ct)
    {
        var found = await db.ChannelMessages.AsNoTracking()
            .Where(m => m.LinkId == invoice.LinkId && m.Template == Template && m.AccountId == accountId && m.To == to)
            .OrderByDescending(m => m.Id).FirstOrDefaultAsync(ct);
        if (found is null || found.Status != MessageStatuses.Failed) return found;
        // The failed send released its key, so the next send can take it.
        await db.IdempotencyRecords.Where(x => x.MerchantId == invoice.MerchantId && x.Operation == Operation && x.ResponseBody == found.Id)
            .ExecuteDeleteAsync(ct);
        return null;
    }

    /// <summary>The subject (e-mail) and text of the message: number, seller, amount with VAT, due date, pay link, PDF link.</summary>
    public static (string Subject, string Text) Wording(Invoice i, string payUrl, string pdfUrl, string lang)
    {
        var T = Localization.Texts.For(lang);
        var seller = i.Seller.Name;
        var date = InvoicePdf.Date(i.IssueDate);
        var amount = RussianMoney.Amount(i.AmountMinor);
        var vat = i.VatMinor == 0 ? T["без НДС"] : T.Format("в т.ч. НДС {0} ₽", RussianMoney.Amount(i.VatMinor));
        return (T.Format("Счёт на оплату № {0} от {1} — {2}", i.NumberText, date, seller),
            T.Format("Счёт на оплату № {0} от {1} от {2} для {3}.", i.NumberText, date, seller, i.BuyerName) + "\n" +
            T.Format("Сумма: {0} ₽ ({1}).", amount, vat) + "\n" +
            T.Format("Оплатить до {0}: переводом с назначением «{1}» или картой / через СБП: {2}", InvoicePdf.Date(i.DueDate), i.Purpose, payUrl) + "\n" +
            T.Format("Счёт в PDF: {0}", pdfUrl));
    }
}
