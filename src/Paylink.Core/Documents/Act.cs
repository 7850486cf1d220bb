using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;

namespace Paylink.Core.Documents;

/// <summary>
/// The closing document of a счёт: an акт (services rendered) or, for a seller without VAT, a УПД with status 2 (primary
/// document only). One per счёт (unique index), numbered per merchant and calendar year without gaps like the счёт.
/// Its content is the счёт's lines and the seller frozen in it, so it is kept with the payment records too.
/// </summary>
public sealed class Act : IMerchantOwned
{
    public const string KindAct = "act";
    public const string KindUpd = "upd";

    private Act() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string InvoiceId { get; private set; } = "";
    public int Year { get; private set; }
    public int Number { get; private set; }
    /// <summary><see cref="KindAct"/> or <see cref="KindUpd"/> (УПД, status 2).</summary>
    public string Kind { get; private set; } = KindAct;
    public DateOnly Date { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public string NumberText => Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static Act Create(string id, Invoice invoice, int year, int number, DateOnly date, DateTimeOffset now) => new()
    {
        Id = id, MerchantId = invoice.MerchantId, InvoiceId = invoice.Id, Year = year, Number = number, Date = date, CreatedAt = now,
        // A seller without VAT closes with a УПД status 2; a VAT payer's status-1 УПД would also be a счёт-фактура (not issued here).
        Kind = invoice.Seller.DefaultVat == "none" && invoice.Lines.All(l => l.Vat == "none") ? KindUpd : KindAct,
    };
}

/// <summary>
/// Issues the акт/УПД of a счёт once: when it is paid (job <c>document.act</c>, queued by <see cref="MarkInvoicePaidReaction"/>
/// in the payment's transaction) or when the owner marks the service done before payment. A second call answers the
/// existing document. The number is the merchant's year's next; a concurrent issue that took it first (unique index)
/// makes this one take the following, so numbers have no gaps and no repeats.
/// </summary>
public sealed class IssueAct(AppDbContext db, Merchants.MerchantCache merchants, TimeProvider clock) : IJobHandler
{
    public const string JobType = "document.act";
    public static readonly JobRetryPolicy Policy = new(10, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
    private const int MaxAttempts = 8;

    public sealed record Payload(string InvoiceId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var r = await HandleAsync(job.Read<Payload>().InvoiceId, ct);
        return r.IsSuccess || r.Error!.Kind != ErrorKind.Conflict ? JobResult.Done : JobResult.Fail(r.Error.Message);
    }

    public async Task<Result<Act>> HandleAsync(string invoiceId, CancellationToken ct)
    {
        var invoice = await db.Invoices.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.Id == invoiceId, ct);
        if (invoice is null || (db.Scope?.MerchantId is { } scoped && invoice.MerchantId != scoped)) return Error.NotFound($"Invoice '{invoiceId}'");
        if (await FindAsync(invoiceId, ct) is { } existing) return existing;
        if (invoice.Status == InvoiceStatus.Cancelled) return Error.Conflict("invoice_cancelled", $"Invoice № {invoice.NumberText} is cancelled; no act for it.");
        var merchant = await merchants.GetAsync(invoice.MerchantId, ct);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, merchant!.Zone).DateTime);
        var id = Ids.New("act", clock);
        for (var attempt = 1; ; attempt++)
        {
            var number = (await db.Acts.IgnoreQueryFilters().Where(a => a.MerchantId == invoice.MerchantId && a.Year == today.Year)
                .MaxAsync(a => (int?)a.Number, ct) ?? 0) + 1;
            var act = Act.Create(id, invoice, today.Year, number, today, now);
            db.Acts.Add(act);
            try
            {
                await db.SaveChangesAsync(ct);
                return act;
            }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex) && attempt < MaxAttempts)
            {
                db.Entry(act).State = EntityState.Detached;
                // The act of this invoice issued concurrently: answer it. Otherwise the number was taken: take the next.
                if (await FindAsync(invoiceId, ct) is { } raced) return raced;
            }
        }
    }

    private Task<Act?> FindAsync(string invoiceId, CancellationToken ct) =>
        db.Acts.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(a => a.InvoiceId == invoiceId, ct);
}
