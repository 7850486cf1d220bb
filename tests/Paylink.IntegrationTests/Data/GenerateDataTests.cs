using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Data.Generation;
using Paylink.Core.Jobs;
using Paylink.Core.Metrics;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Data;

/// <summary>A database filled once by the generator (1,000 links, 3 merchants, 90 days).</summary>
public class GeneratedDb(Db kind) : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    public FakeTimeProvider Clock { get; } = new(Now);
    public TestDatabase Database { get; private set; } = null!;
    public ServiceProvider Services { get; private set; } = null!;
    public GenerateDataResult Result { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(kind);
        Services = Database.BuildServices(Clock);
        await using var scope = Services.CreateAsyncScope();
        var r = await scope.ServiceProvider.GetRequiredService<GenerateData>()
            .HandleAsync(new GenerateDataRequest(Merchants: 3, Links: 1000, Days: 90, Seed: 7, BusyShare: 0.5), null, CancellationToken.None);
        Result = r.IsSuccess ? r.Value : throw new InvalidOperationException(r.Error!.Message);
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteGeneratedDb() : GeneratedDb(Db.Sqlite);
public sealed class PostgresGeneratedDb() : GeneratedDb(Db.Postgres);

/// <summary>The generated history is consistent and the app's own queries (dashboard overview metrics, links list) read it.</summary>
public abstract class GenerateDataTests<TDb>(TDb fx) : IClassFixture<TDb> where TDb : GeneratedDb
{
    private AsyncServiceScope Scope(string? merchantId = null)
    {
        var scope = fx.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().MerchantId = merchantId;
        return scope;
    }

    [Fact]
    public async Task Generate_RowsAreConsistent()
    {
        var result = fx.Result;
        Assert.Equal(3, result.Merchants.Count);
        Assert.Equal(500, result.Merchants[0].Links);   // the busy share
        Assert.Equal(1000, result.Merchants.Sum(m => m.Links));
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1000, await db.PaymentLinks.CountAsync());
        Assert.Equal(1000L, result.Rows[nameof(PaymentLink)]);
        Assert.Equal(1000, await db.LinkEvents.CountAsync(e => e.Type == LinkEventTypes.Created));
        var paid = await db.PaymentLinks.CountAsync(l => l.Status == LinkStatus.Paid);
        Assert.InRange(paid, 600, 800);   // paid share 0.7
        // Exactly one captured payment per paid link, and none for the others.
        Assert.Equal(paid, await db.Payments.CountAsync(p => p.Status == PaymentStatus.Captured));
        Assert.Equal(paid, await db.Payments.Join(db.PaymentLinks, p => p.LinkId, l => l.Id, (p, l) => l).CountAsync(l => l.Status == LinkStatus.Paid));
        Assert.Equal(paid, await db.LinkEvents.CountAsync(e => e.Type == LinkEventTypes.Paid));
        Assert.Equal(paid, await db.PaymentAttempts.CountAsync(a => a.Status == AttemptStatus.Succeeded));
        // Open links are only the ones that have not expired yet.
        Assert.False(await db.PaymentLinks.AnyAsync(l => l.Status == LinkStatus.Open && l.ExpiresAt <= GeneratedDb.Now));
        var conversations = await db.Conversations.CountAsync();
        Assert.InRange(conversations, 200, 400);
        Assert.Equal(conversations, await db.Bookings.CountAsync(b => b.LinkId != null));
        Assert.True(await db.ChannelMessages.CountAsync() >= 3 * conversations);
        // History, not work: nothing is due.
        Assert.False(await db.Jobs.AnyAsync(j => j.State == JobState.Pending && j.RecurEverySeconds == null));
        Assert.True(await db.Jobs.CountAsync(j => j.State == JobState.Succeeded) > 1500);
    }

    [Fact]
    public async Task Metrics_BusyMerchantLast90Days_CountsWhatWasGenerated()
    {
        var busy = fx.Result.Merchants[0].Id;
        await using var scope = Scope(busy);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(GeneratedDb.Now, zone).DateTime);
        var report = await scope.ServiceProvider.GetRequiredService<ComputeMetrics>().HandleAsync(busy, today.AddDays(-90), today, CancellationToken.None);
        Assert.True(report.IsSuccess, report.Error?.Message);
        Assert.Equal(500, report.Value.Total.Links);
        var paid = await db.PaymentLinks.Where(l => l.MerchantId == busy && l.Status == LinkStatus.Paid).ToListAsync();
        Assert.Equal(paid.Count, report.Value.Total.Paid);
        Assert.Equal(paid.Sum(l => l.AmountMinor), report.Value.Total.PaidMinor);
        Assert.True(report.Value.Total.Sent >= report.Value.Total.Paid);
        Assert.True(report.Value.Bookings.Bookings > 0);
    }

    [Fact]
    public async Task LinksList_StatusFilterAndPaging_ReadGeneratedLinks()
    {
        var busy = fx.Result.Merchants[0].Id;
        await using var scope = Scope(busy);
        var list = scope.ServiceProvider.GetRequiredService<ListPaymentLinks>();
        var first = await list.HandleAsync(new ListPaymentLinksRequest("paid", 50, null), CancellationToken.None);
        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(50, first.Value.Items.Count);
        Assert.All(first.Value.Items, l => Assert.Equal(LinkStatus.Paid, l.Status));
        Assert.All(first.Value.Items, l => Assert.Equal(busy, l.MerchantId));
        Assert.NotNull(first.Value.NextCursor);
        var second = await list.HandleAsync(new ListPaymentLinksRequest("paid", 50, first.Value.NextCursor), CancellationToken.None);
        Assert.True(string.CompareOrdinal(second.Value.Items[0].Id, first.Value.Items[^1].Id) < 0);   // newest first, no overlap
        var expired = await list.HandleAsync(new ListPaymentLinksRequest("expired", 10, null), CancellationToken.None);
        Assert.NotEmpty(expired.Value.Items);
    }

    [Fact]
    public void Validate_OutOfRange_NamesTheField()
    {
        var r = GenerateData.Validate(new GenerateDataRequest(Merchants: 0));
        Assert.False(r.IsSuccess);
        Assert.True(r.Error!.Fields!.ContainsKey("merchants"));
        Assert.True(GenerateData.Validate(new GenerateDataRequest(BusyShare: 1)).Error!.Fields!.ContainsKey("busyShare"));
    }
}

public sealed class GenerateDataSqliteTests(SqliteGeneratedDb fx) : GenerateDataTests<SqliteGeneratedDb>(fx);
public sealed class GenerateDataPostgresTests(PostgresGeneratedDb fx) : GenerateDataTests<PostgresGeneratedDb>(fx);
