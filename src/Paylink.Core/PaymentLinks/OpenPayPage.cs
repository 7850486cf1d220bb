using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;

namespace Paylink.Core.PaymentLinks;

/// <summary>What the public pay page shows of a link: a read model, not the tracked entity.</summary>
public sealed record PayPageLink(
    string Id, string MerchantId, string Code, long AmountMinor, string Currency, string Description, IReadOnlyList<LinkItem> Items,
    LinkStatus Status, DateTimeOffset ExpiresAt, DateTimeOffset? OpenedAt, DateTimeOffset? PaidAt, bool SavePaymentMethod,
    Providers.CaptureMode CaptureMode = Providers.CaptureMode.Automatic, string? DefaultMethod = null, string? CustomerId = null,
    string? CustomerName = null, PayPageBooking? Booking = null)
{
    public Money Amount => new(AmountMinor, Currency);

    public LinkStatus StatusAt(DateTimeOffset now) => PaymentLink.StatusFor(Status, ExpiresAt, now);
}

/// <summary>The visit a prepayment link is for, as the booking is now (a reschedule shows the new time).</summary>
public sealed record PayPageBooking(string ServiceName, DateTimeOffset StartAt, string? Staff);

public sealed record PayPageView(PayPageLink Link, Merchant Merchant, LinkStatus Status, DateTimeOffset Now);

/// <summary>
/// Loads what the public pay page shows and records the first open. The read is the hottest query of
/// the public site, so it is one parameterised SELECT read by hand (EF's query pipeline cost several
/// times the query itself, docs/performance.md): on SQLite a prepared statement on one of the
/// always-open <see cref="SqliteReadConnections"/>, on PostgreSQL a prepared statement on the context's
/// pooled connection. The first-open write is a conditional update, so concurrent first opens record
/// one event.
/// </summary>
public sealed class OpenPayPage(AppDbContext db, MerchantCache merchants, TimeProvider clock, SqliteReadConnections? reads = null)
{
    private const string Sql = """
        SELECT l."Id", l."MerchantId", l."Code", l."AmountMinor", l."Currency", l."Description", l."Items", l."Status", l."ExpiresAt", l."OpenedAt",
               l."PaidAt", l."SavePaymentMethod", l."CaptureMode", l."DefaultMethod", l."CustomerId",
               c."Name", b."ServiceName", b."StartAt", b."Staff"
        FROM "PaymentLinks" l
        LEFT JOIN "Customers" c ON c."Id" = l."CustomerId" AND c."MerchantId" = l."MerchantId"
        LEFT JOIN "Bookings" b ON b."LinkId" = l."Id" AND b."MerchantId" = l."MerchantId"
        WHERE l."Code" = @code
        """;

    private static readonly JsonSerializerOptions ItemsJson = new() { PropertyNameCaseInsensitive = true };

    public async Task<Result<PayPageView>> HandleAsync(string code, bool recordOpen, CancellationToken ct)
    {
        if (!Ids.IsCode(code)) return Error.NotFound("Link");
        var link = await FindAsync(code, ct);
        if (link is null) return Error.NotFound("Link");
        var merchant = await merchants.GetAsync(link.MerchantId, ct)
            ?? throw new InvalidOperationException($"Link {link.Id} belongs to a merchant that does not exist.");
        var now = clock.GetUtcNow();
        if (recordOpen && link.OpenedAt is null) await RecordFirstOpenAsync(db, link.Id, link.MerchantId, link.StatusAt(now), now, ct);
        return new PayPageView(link, merchant, link.StatusAt(now), now);
    }

    private async Task<PayPageLink?> FindAsync(string code, CancellationToken ct)
    {
        if (reads is null) return await FindAsync(db, code, ct);
        using var lease = await reads.RentAsync(ct);
        var cmd = lease.Command(Sql, "@code");
        cmd.Parameters[0].Value = code;
        await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
        return await r.ReadAsync(ct) ? Read(r, static (r, i) => SqliteAppDbContext.ReadTime(r.GetInt64(i))) : null;
    }

    private static async Task<PayPageLink?> FindAsync(AppDbContext db, string code, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        // Opened directly, not through EF: EF's SQLite connection registers a dozen SQL functions on every
        // open (and Microsoft.Data.Sqlite removes them on close), which cost more than this SELECT.
        var opened = conn.State != ConnectionState.Open;
        if (opened) await conn.OpenAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = Sql;
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var p = cmd.CreateParameter();
            p.ParameterName = "@code";
            p.Value = code;
            cmd.Parameters.Add(p);
            // Npgsql keeps a prepared statement with the pooled physical connection: after the first
            // request on a connection this skips parsing and planning.
            if (!db.IsSqlite) await cmd.PrepareAsync(ct);
            await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SingleRow, ct);
            return await r.ReadAsync(ct) ? Read(r, db.ReadTime) : null;
        }
        finally
        {
            if (opened) await conn.CloseAsync();
        }
    }

    private static PayPageLink Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> readTime) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? [] : JsonSerializer.Deserialize<List<LinkItem>>(r.GetString(6), ItemsJson) ?? [],
        AppDbContext.ParseStatus(r.GetString(7)), readTime(r, 8),
        r.IsDBNull(9) ? null : readTime(r, 9), r.IsDBNull(10) ? null : readTime(r, 10), r.GetBoolean(11),
        // Read here so the open page's SBP offer and consent step need no second query (on PostgreSQL each one is a round trip).
        Enum.Parse<Providers.CaptureMode>(r.GetString(12)), r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14),
        // The client's name and the prepaid visit come from the same SELECT (joined by primary key and the LinkId index),
        // so the page shows the booking as it is now, not the copy in the link's description.
        r.IsDBNull(15) ? null : r.GetString(15),
        r.IsDBNull(16) ? null : new PayPageBooking(r.GetString(16), readTime(r, 17), r.IsDBNull(18) ? null : r.GetString(18)));

    /// <summary>
    /// Records the first time the customer saw an open link (the funnel's "opened" step): a conditional
    /// update, so concurrent first opens record one event. Later views, and views of a link that can no
    /// longer be paid, record nothing.
    /// </summary>
    internal static async Task RecordFirstOpenAsync(AppDbContext db, string linkId, string merchantId, LinkStatus statusNow,
        DateTimeOffset now, CancellationToken ct)
    {
        if (statusNow != LinkStatus.Open) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.PaymentLinks.IgnoreQueryFilters()
            .Where(l => l.Id == linkId && l.OpenedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.OpenedAt, now), ct);
        if (rows == 1)
        {
            db.LinkEvents.Add(LinkEvent.For(merchantId, linkId, LinkEventTypes.Opened, now));
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
