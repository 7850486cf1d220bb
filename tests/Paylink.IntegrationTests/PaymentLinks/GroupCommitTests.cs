using System.Data.Common;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Data;
using Paylink.Core.Orders;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Webhooks;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.PaymentLinks;

/// <summary>
/// A host with the job runner off (jobs stay queued for the test to count) and a reaction that fails the save of
/// any link described "сбой", to see a failed group commit retried creation by creation.
/// </summary>
public class GroupCommitHost(Db kind) : PaylinkHost(kind)
{
    public const string Poison = "сбой";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    /// <summary>Set: the next commit of a transaction holding several links (a group commit) throws instead of committing (then it clears).</summary>
    public volatile bool FailNextCommit;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddLinkEventReaction<FailOnPoison>();
        services.AddSingleton<IInterceptor>(new FailCommit(this));
    }

    private sealed class FailCommit(GroupCommitHost host) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (!host.FailNextCommit || eventData.Context is null || eventData.Context.ChangeTracker.Entries<PaymentLink>().Count() < 2)
                return ValueTask.FromResult(result);
            host.FailNextCommit = false;
            throw new InvalidOperationException("Injected: the connection broke during COMMIT.");
        }
    }

    private sealed class FailOnPoison : ILinkEventReaction
    {
        public ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct)
        {
            foreach (var e in added)
                if (db.ChangeTracker.Entries<PaymentLink>().Any(l => l.Entity.Id == e.LinkId && l.Entity.Description == Poison))
                    throw new InvalidOperationException("Injected failure for a poisoned link.");
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A host with <c>Links:GroupCommit=false</c>: every creation saves on its own.</summary>
public class GroupCommitOffHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false",
        ["Links:GroupCommit"] = "false",
    };
}

public sealed class SqliteGroupCommitOffHost() : GroupCommitOffHost(Db.Sqlite);
public sealed class PostgresGroupCommitOffHost() : GroupCommitOffHost(Db.Postgres);

public abstract class GroupCommitOffTests<THost>(THost host) : IClassFixture<THost> where THost : GroupCommitOffHost
{
    [Fact]
    public async Task SwitchedOff_CreationsSaveOnTheirOwn_AndConcurrentOnesJoinOneOrder()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => c.PostJsonAsync("/api/v1/links",
            $$"""{"amount":{{4000 + i}},"currency":"RUB","description":"Без группы {{i}}","orderId":"OFF-{{i % 3}}"}""")));
        var ids = new List<string>();
        foreach (var r in responses) ids.Add((await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);

        Assert.Equal(0, host.Services.GetRequiredService<LinkCreationBatcher>().Batches);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(20, await db.LinkEvents.IgnoreQueryFilters().CountAsync(e => ids.Contains(e.LinkId) && e.Type == LinkEventTypes.Created));
        Assert.Equal(3, await db.Orders.IgnoreQueryFilters().CountAsync(o => o.MerchantId == m.Merchant.Id));
    }
}

public sealed class GroupCommitOffSqliteTests(SqliteGroupCommitOffHost host) : GroupCommitOffTests<SqliteGroupCommitOffHost>(host);
public sealed class GroupCommitOffPostgresTests(PostgresGroupCommitOffHost host) : GroupCommitOffTests<PostgresGroupCommitOffHost>(host);

public sealed class SqliteGroupCommitHost() : GroupCommitHost(Db.Sqlite);
public sealed class PostgresGroupCommitHost() : GroupCommitHost(Db.Postgres);

public abstract class GroupCommitTests<THost>(THost host) : IClassFixture<THost> where THost : GroupCommitHost
{
    [Fact]
    public async Task RowInserter_WritesTheSameRowsAsSaveChanges()
    {
        var m = await host.NewMerchantAsync();
        var now = host.Clock.GetUtcNow();
        var items = new[]
        {
            new LinkItem { Position = 0, Name = "Маникюр «люкс» \"с покрытием\"", Quantity = 1, AmountMinor = 250000, ServiceId = "manicure", Vat = "vat22" },
            new LinkItem { Position = 1, Name = "Chai", Quantity = 3, AmountMinor = 30000 },
        };
        PaymentLink NewLink(string id, string code, string orderId) => PaymentLink.Create(id, code, m.Merchant.Id, orderId, "ORD-1/2", null, null,
            new Money(280000, "RUB"), "Запись: маникюр", items, """{"source":"тест"}""", now, now.AddHours(72), CaptureMode.Manual, savePaymentMethod: true);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Through EF…
        var efOrder = Order.Create(m.Merchant.Id, "ORD-EF", null, host.Clock);
        var efLink = NewLink("lnk_ef_" + Guid.NewGuid().ToString("N")[..8], Ids.NewCode(), efOrder.Id);
        var efEvent = LinkEvent.For(efLink, LinkEventTypes.Created, now, """{"note":"x"}""");
        db.AddRange(efOrder, efLink, efEvent);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        // …and through the inserter, in a transaction like the group commit's.
        var rawOrder = Order.Create(m.Merchant.Id, "ORD-RAW", null, host.Clock);
        var rawLink = NewLink("lnk_raw_" + Guid.NewGuid().ToString("N")[..8], Ids.NewCode(), rawOrder.Id);
        var rawEvent = LinkEvent.For(rawLink, LinkEventTypes.Created, now, """{"note":"x"}""");
        await db.Database.OpenConnectionAsync();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var (conn, dbTx) = (db.Database.GetDbConnection(), tx.GetDbTransaction());
            foreach (var (entity, insert) in new (object, RowInserter)[]
                     { (rawOrder, RowInserter.For<Order>(db)), (rawLink, RowInserter.For<PaymentLink>(db)), (rawEvent, RowInserter.For<LinkEvent>(db)) })
            {
                await using var cmd = await insert.PrepareAsync(conn, dbTx, CancellationToken.None);
                await insert.InsertAsync(cmd, entity, CancellationToken.None);
            }
            await tx.CommitAsync();
        }
        Assert.True(rawEvent.Id > efEvent.Id, "the generated key is read back into the entity");

        var conn2 = db.Database.GetDbConnection();
        AssertSameRow(await RowAsync(conn2, "Orders", "Id", efOrder.Id), await RowAsync(conn2, "Orders", "Id", rawOrder.Id), "Id", "ExternalId");
        AssertSameRow(await RowAsync(conn2, "PaymentLinks", "Id", efLink.Id), await RowAsync(conn2, "PaymentLinks", "Id", rawLink.Id), "Id", "Code", "OrderId");
        AssertSameRow(await RowAsync(conn2, "LinkEvents", "LinkId", efLink.Id), await RowAsync(conn2, "LinkEvents", "LinkId", rawLink.Id), "Id", "LinkId");

        // And EF reads the inserted link back whole, items included.
        var read = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().SingleAsync(l => l.Id == rawLink.Id);
        Assert.Equal(JsonSerializer.Serialize(items), JsonSerializer.Serialize(read.Items));
        Assert.Equal((LinkStatus.Open, CaptureMode.Manual, true, now.AddHours(72)), (read.Status, read.CaptureMode, read.SavePaymentMethod, read.ExpiresAt));
    }

    [Fact]
    public async Task ConcurrentCreations_AreCommittedTogether_EachOnceWithItsRowsAndReactions()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        (await c.PostJsonAsync("/api/v1/webhook-endpoints", """{"url":"https://hooks.example.com/paylink","events":["link.created"]}""")).EnsureSuccessStatusCode();
        // An order paid earlier: asking for it again must be refused, inside a batch as alone.
        var paidOrderLink = await (await c.PostJsonAsync("/api/v1/links", """{"amount":1000,"currency":"RUB","description":"Оплачено","orderId":"PAID-1"}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var id = paidOrderLink.GetProperty("id").GetString()!;
            var link = await db.PaymentLinks.IgnoreQueryFilters().SingleAsync(l => l.Id == id);
            Assert.True(link.MarkPaid(host.Clock.GetUtcNow()).Value);
            await db.SaveChangesAsync();
        }
        var batcher = host.Services.GetRequiredService<LinkCreationBatcher>();
        var batchesBefore = batcher.Batches;
        var createdBefore = batcher.Created;

        const int n = 120;
        string Body(int i) => (i % 6) switch
        {
            0 => $$"""{"amount":{{1000 + i}},"currency":"RUB","description":"Ссылка {{i}}"}""",
            1 => $$"""{"amount":{{1000 + i}},"currency":"RUB","description":"Клиентка {{i}}","customer":{"name":"Анна","phone":"+7 916 555-00-{{i / 6 % 2:00}}"} }""",
            2 => $$"""{"amount":{{1000 + i}},"currency":"RUB","description":"Заказ {{i}}","orderId":"SHARED-{{i / 6 % 4}}"}""",
            3 => $$"""{"amount":{{1000 + i}},"currency":"RUB","description":"Шлюз {{i}}","gateway":"gwa_missing"}""",
            4 => $$"""{"amount":{{1000 + i}},"currency":"RUB","description":"Повтор {{i}}","orderId":"PAID-1"}""",
            _ => $$"""{"currency":"RUB","description":"Позиции {{i}}","items":[{"name":"Маникюр","amount":{{500 + i}} },{"name":"Дизайн","quantity":2,"amount":300}]}""",
        };
        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(async i => (i, r: await c.PostJsonAsync("/api/v1/links", Body(i)))));

        var ids = new List<string>();
        foreach (var (i, r) in responses)
        {
            switch (i % 6)
            {
                case 3: await r.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "gateway"); break;
                case 4: await r.AssertProblemAsync(HttpStatusCode.Conflict); break;
                default:
                    var link = await r.ReadJsonAsync(HttpStatusCode.Created);
                    Assert.Equal(i % 6 == 5 ? 500 + i + 300 : 1000 + i, link.GetProperty("amount").GetInt64());
                    Assert.Equal("/api/v1/links/" + link.GetProperty("id").GetString(), r.Headers.Location?.ToString());
                    ids.Add(link.GetProperty("id").GetString()!);
                    break;
            }
        }
        Assert.Equal(n / 6 * 4, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(createdBefore + ids.Count, batcher.Created);
        Assert.True(batcher.Batches - batchesBefore < n, $"{n} concurrent creations took {batcher.Batches - batchesBefore} commits: none were grouped");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var links = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => ids.Contains(l.Id)).ToListAsync();
            Assert.Equal(ids.Count, links.Count);
            // Exactly one "created" event per link, and nothing written for the refused ones.
            var events = await db.LinkEvents.IgnoreQueryFilters().AsNoTracking().Where(e => ids.Contains(e.LinkId)).ToListAsync();
            Assert.All(links, l => Assert.Single(events, e => e.LinkId == l.Id && e.Type == LinkEventTypes.Created));
            Assert.Equal(links.Count, events.Count);
            Assert.False(await db.PaymentLinks.IgnoreQueryFilters().AnyAsync(l => l.MerchantId == m.Merchant.Id && (l.Description.StartsWith("Шлюз") || l.Description.StartsWith("Повтор"))));
            // Links of one order number share one order; one phone is one customer.
            var shared = links.Where(l => l.OrderRef?.StartsWith("SHARED-") == true).GroupBy(l => l.OrderRef).ToList();
            Assert.Equal(4, shared.Count);
            Assert.All(shared, g => Assert.Single(g.Select(l => l.OrderId).Distinct()));
            Assert.Equal(4, await db.Orders.IgnoreQueryFilters().CountAsync(o => o.MerchantId == m.Merchant.Id && o.ExternalId!.StartsWith("SHARED-")));
            var withCustomer = links.Where(l => l.Description.StartsWith("Клиентка")).ToList();
            Assert.Equal(2, withCustomer.Select(l => l.CustomerId).Distinct().Count());
            Assert.Equal(2, await db.Customers.IgnoreQueryFilters().CountAsync(x => x.MerchantId == m.Merchant.Id));
            // The reactions ran in the same transactions: a webhook delivery per link, a CRM job per link with a customer.
            var deliveries = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking()
                .Where(d => d.MerchantId == m.Merchant.Id && d.EventType == WebhookEventTypes.LinkCreated).ToListAsync();
            Assert.Equal(links.Count + 1, deliveries.Count);   // + the paid order's first link
            Assert.All(links, l => Assert.Single(deliveries, d => d.Payload.Contains(l.Id)));
            var crmJobs = await db.Jobs.AsNoTracking().Where(j => j.Type == CrmSync.JobType).ToListAsync();
            Assert.All(withCustomer, l => Assert.Single(crmJobs, j => j.Payload.Contains(l.Id)));
        }
    }

    [Fact]
    public async Task AFailingCreation_IsRetriedAlone_AndTheOthersInItsBatchAreKept()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        var batcher = host.Services.GetRequiredService<LinkCreationBatcher>();
        var batchesBefore = batcher.Batches;
        const int n = 40;
        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(i => c.PostJsonAsync("/api/v1/links",
            $$"""{"amount":{{2000 + i}},"currency":"RUB","description":"{{(i == n / 2 ? GroupCommitHost.Poison : "Хорошая " + i)}}"}""")));

        Assert.Equal(HttpStatusCode.InternalServerError, responses[n / 2].StatusCode);
        var ids = new List<string>();
        foreach (var r in responses.Where((_, i) => i != n / 2)) ids.Add((await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        Assert.True(batcher.Batches - batchesBefore < n, "the creations were grouped");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var links = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.MerchantId == m.Merchant.Id).ToListAsync();
        Assert.Equal(ids.Order(), links.Select(l => l.Id).Order());
        Assert.DoesNotContain(links, l => l.Description == GroupCommitHost.Poison);
        Assert.Equal(n - 1, await db.LinkEvents.IgnoreQueryFilters().CountAsync(e => e.MerchantId == m.Merchant.Id));
        Assert.Equal(n - 1, await db.Orders.IgnoreQueryFilters().CountAsync(o => o.MerchantId == m.Merchant.Id));
    }

    [Fact]
    public async Task AFailedCommit_FailsItsCreations_WithoutRetrying_AndWritesNothingOfThem()
    {
        var m = await host.NewMerchantAsync();
        var c = host.Client(m.ApiKey);
        const int n = 30;
        host.FailNextCommit = true;
        var responses = await Task.WhenAll(Enumerable.Range(0, n).Select(i => c.PostJsonAsync("/api/v1/links",
            $$"""{"amount":{{3000 + i}},"currency":"RUB","description":"Коммит {{i}}"}""")));
        Assert.False(host.FailNextCommit, "the injected failure hit a commit");

        // The batch whose COMMIT failed answers 500 for each of its creations: a retry could have doubled them had the
        // commit happened. The others are created once.
        var failed = responses.Count(r => r.StatusCode == HttpStatusCode.InternalServerError);
        Assert.InRange(failed, 2, n);
        var ids = new List<string>();
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.InternalServerError))
            ids.Add((await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var links = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.MerchantId == m.Merchant.Id).Select(l => l.Id).ToListAsync();
        Assert.Equal(ids.Order(), links.Order());
        Assert.Equal(n - failed, await db.LinkEvents.IgnoreQueryFilters().CountAsync(e => e.MerchantId == m.Merchant.Id));
    }

    private static async Task<Dictionary<string, object?>> RowAsync(DbConnection conn, string table, string keyColumn, string key)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{keyColumn}\" = @k";
        var p = cmd.CreateParameter();
        p.ParameterName = "k";
        p.Value = key;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row in {table} with {keyColumn} = {key}");
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        Assert.False(await reader.ReadAsync());
        return row;
    }

    private static void AssertSameRow(Dictionary<string, object?> viaEf, Dictionary<string, object?> viaInserter, params string[] differing)
    {
        Assert.Equal(viaEf.Keys.Order(), viaInserter.Keys.Order());
        foreach (var (column, value) in viaEf)
        {
            if (differing.Contains(column)) continue;
            Assert.True(Equals(value, viaInserter[column]), $"column {column}: SaveChanges wrote «{value}», the inserter «{viaInserter[column]}»");
        }
    }
}

public sealed class GroupCommitSqliteTests(SqliteGroupCommitHost host) : GroupCommitTests<SqliteGroupCommitHost>(host);
public sealed class GroupCommitPostgresTests(PostgresGroupCommitHost host) : GroupCommitTests<PostgresGroupCommitHost>(host);
