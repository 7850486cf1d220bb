using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Payments;

namespace Paylink.Core.Documents;

public sealed record StatementImportResult(int Documents, int Incoming, int Matched, int Review, int AlreadyImported, IReadOnlyList<StatementLine> Lines);

/// <summary>
/// Imports a 1C «Клиент-банк» statement: keeps the incoming transfers (payee = the merchant's ИНН or account) once each,
/// and matches each to a счёт by the bank-invoicing rule — payer's ИНН = the buyer's, the счёт's number in the purpose,
/// the amount exactly the счёт's. An exact match is recorded as the payment of the счёт's link through
/// <see cref="PaymentTransitions.ApplyBankTransferAsync"/> (the one payment path: CRM, notifications, webhooks, the
/// счёт's status react as for a card payment). Anything else — partial, over-payment, no or several candidate счета, a
/// счёт already paid or cancelled — goes to the review list and is never marked automatically. Importing the same file
/// again finds every key stored and changes nothing.
/// </summary>
public sealed partial class ImportStatement(AppDbContext db, RequisitesStore requisites, PaymentTransitions transitions, TimeProvider clock)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public async Task<Result<StatementImportResult>> HandleAsync(string merchantId, byte[] file, CancellationToken ct)
    {
        if (file.Length == 0) return Error.Validation("file", "The file is empty.");
        if (file.Length > MaxBytes) return Error.Validation("file", $"The file must be at most {MaxBytes / 1024 / 1024} MB.");
        var seller = await requisites.GetAsync(merchantId, ct);
        if (seller is null) return Error.Validation("requisites", "Fill in the requisites first: incoming transfers are recognised by your ИНН and account.");
        var parsed = BankStatement.Parse(file);
        if (!parsed.IsSuccess) return parsed.Error!;
        var incoming = parsed.Value.Where(p => p.PayeeInn == seller.Inn || p.PayeeAccount == seller.Account).ToList();
        int matched = 0, review = 0, already = 0;
        var lines = new List<StatementLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in incoming)
        {
            var key = p.Key;
            if (!seen.Add(key) || await db.StatementLines.IgnoreQueryFilters().AnyAsync(l => l.MerchantId == merchantId && l.Key == key, ct))
            {
                already++;
                continue;
            }
            var line = await ImportOneAsync(merchantId, p, ct);
            if (line is null) { already++; continue; }
            lines.Add(line);
            if (line.Status == StatementLineStatus.Matched) matched++;
            else review++;
        }
        return new StatementImportResult(parsed.Value.Count, incoming.Count, matched, review, already, lines);
    }

    /// <summary>Stores and matches one transfer in its own SaveChanges; null when a concurrent import stored it first.</summary>
    private async Task<StatementLine?> ImportOneAsync(string merchantId, StatementPayment p, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var line = StatementLine.From(merchantId, p, now, clock);
            await MatchAsync(merchantId, p, line, now, ct);
            db.StatementLines.Add(line);
            try
            {
                await db.SaveChangesAsync(ct);
                return line;
            }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex) || ex is DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                // The same line stored by a concurrent import, or the link paid meanwhile: decide again from what is stored.
                if (await db.StatementLines.IgnoreQueryFilters().AnyAsync(l => l.MerchantId == merchantId && l.Key == p.Key, ct)) return null;
                if (attempt >= 2) throw;
            }
        }
    }

    private async Task MatchAsync(string merchantId, StatementPayment p, StatementLine line, DateTimeOffset now, CancellationToken ct)
    {
        var numbers = NumbersIn(p.Purpose);
        if (p.PayerInn is null || numbers.Count == 0)
        {
            line.ToReview(p.PayerInn is null ? "no_payer_inn" : "no_invoice_number", null);
            return;
        }
        var candidates = await db.Invoices.IgnoreQueryFilters()
            .Where(i => i.MerchantId == merchantId && i.BuyerInn == p.PayerInn && numbers.Contains(i.Number)).ToListAsync(ct);
        if (candidates.Count > 1 && DateIn(p.Purpose) is { } date) candidates = candidates.Where(i => i.IssueDate == date).ToList();
        if (candidates.Count > 1) candidates = candidates.Where(i => i.Status == InvoiceStatus.Open).ToList();
        if (candidates.Count == 0) { line.ToReview("no_invoice", null); return; }
        if (candidates.Count > 1) { line.ToReview("ambiguous", null); return; }
        var invoice = candidates[0];
        if (invoice.Status == InvoiceStatus.Paid) { line.ToReview("already_paid", invoice.Id); return; }
        if (invoice.Status == InvoiceStatus.Cancelled) { line.ToReview("cancelled", invoice.Id); return; }
        if (p.AmountMinor < invoice.AmountMinor) { line.ToReview("partial", invoice.Id); return; }
        if (p.AmountMinor > invoice.AmountMinor) { line.ToReview("overpaid", invoice.Id); return; }
        var outcome = await PayAsync(invoice, p.AmountMinor, p.Key, now, ct);
        if (outcome == NotificationOutcome.Paid) line.Matched(invoice.Id);
        else line.ToReview("already_paid", invoice.Id);
    }

    internal async Task<NotificationOutcome> PayAsync(Invoice invoice, long amountMinor, string key, DateTimeOffset now, CancellationToken ct)
    {
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstAsync(l => l.Id == invoice.LinkId, ct);
        return await transitions.ApplyBankTransferAsync(link, new Money(amountMinor, invoice.Currency), key, now, ct);
    }

    /// <summary>Numbers the payer wrote after «счёт», «сч.», «№» or «N»: «Оплата по счёту № 17 от 18.11.2026» → 17.</summary>
    internal static List<int> NumbersIn(string purpose) =>
        NumberRegex().Matches(purpose).Select(m => int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0)
            .Where(n => n > 0).Distinct().ToList();

    internal static DateOnly? DateIn(string purpose) =>
        DateRegex().Match(purpose) is { Success: true } m
        && DateOnly.TryParseExact(m.Groups[1].Value, "dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d)
            ? d : null;

    [GeneratedRegex(@"(?:сч[её]т[а-яё]*|сч\.?|№|N)\s*(?:на\s+оплату\s*)?(?:№|N|No\.?)?\s*(\d{1,9})(?!\d)(?!\.\d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"от\s+(\d{2}\.\d{2}\.\d{4})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateRegex();
}
