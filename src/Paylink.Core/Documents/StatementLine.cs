using Paylink.Core.Common;

namespace Paylink.Core.Documents;

public enum StatementLineStatus { Matched, Review, Dismissed }

/// <summary>
/// An incoming transfer read from an imported statement, kept once per merchant (unique key, see
/// <see cref="StatementPayment.Key"/>), so importing a file again changes nothing. Matched lines paid a счёт; the others
/// wait in the owner's review list with the reason (partial, overpaid, no_invoice, ambiguous, already_paid).
/// </summary>
public sealed class StatementLine : IMerchantOwned
{
    private StatementLine() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string DocumentNumber { get; private set; } = "";
    public DateOnly Date { get; private set; }
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public string? PayerInn { get; private set; }
    public string? PayerName { get; private set; }
    public string Purpose { get; private set; } = "";
    public StatementLineStatus Status { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>The счёт it paid (matched) or the one it most likely belongs to (partial, overpaid, already_paid).</summary>
    public string? InvoiceId { get; private set; }
    public DateTimeOffset ImportedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    internal static StatementLine From(string merchantId, StatementPayment p, DateTimeOffset now, TimeProvider clock) => new()
    {
        Id = Ids.New("stl", clock), MerchantId = merchantId, Key = p.Key, DocumentNumber = Cut(p.Number, 40), Date = p.Date, AmountMinor = p.AmountMinor,
        PayerInn = p.PayerInn is null ? null : Cut(p.PayerInn, 12), PayerName = p.PayerName is null ? null : Cut(p.PayerName, 300),
        Purpose = Cut(p.Purpose, 500), ImportedAt = now, Status = StatementLineStatus.Review,
    };

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];

    internal void Matched(string invoiceId)
    {
        Status = StatementLineStatus.Matched;
        InvoiceId = invoiceId;
        Reason = null;
    }

    internal void ToReview(string reason, string? invoiceId)
    {
        Status = StatementLineStatus.Review;
        Reason = reason;
        InvoiceId = invoiceId;
    }

    /// <summary>The owner matched a review line to a счёт by hand.</summary>
    internal void MatchedByOwner(string invoiceId, DateTimeOffset at)
    {
        Matched(invoiceId);
        ResolvedAt = at;
    }

    /// <summary>The owner handled it outside Paylink (returned the money, another document).</summary>
    public bool Dismiss(DateTimeOffset at)
    {
        if (Status != StatementLineStatus.Review) return false;
        Status = StatementLineStatus.Dismissed;
        ResolvedAt = at;
        return true;
    }
}
