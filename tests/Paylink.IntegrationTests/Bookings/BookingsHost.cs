using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Catalog;
using Paylink.Core.Jobs;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Bookings;

/// <summary>A host for bookings and CRM tests: the background job runner is off (tests drain jobs), gateway
/// and CRM retries are quick, and a test catalog is one call away.</summary>
public class BookingsHost(Db kind) : PaylinkHost(kind)
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false",
        ["Gateways:Http:AttemptTimeoutSeconds"] = "1", ["Gateways:Http:BaseDelayMilliseconds"] = "10", ["Gateways:Http:MaxDelaySeconds"] = "0.2",
    };

    public Task<int> DrainAsync() => Services.GetRequiredService<JobRunner>().DrainAsync();

    /// <summary>A merchant with the test catalog (manicure 60 min 2 500 ₽, massage 90 min 4 000 ₽, consultation without duration).</summary>
    public async Task<(string MerchantId, HttpClient Api)> MerchantWithCatalogAsync()
    {
        var m = await NewMerchantAsync();
        await using var scope = Services.CreateAsyncScope();
        var r = await scope.ServiceProvider.GetRequiredService<ImportCatalog>().HandleAsync(m.Merchant.Id,
        [
            new CatalogEntry("manicure", "Маникюр с покрытием", 250000, "RUB", DurationMinutes: 60),
            new CatalogEntry("massage", "Массаж спины", 400000, "RUB", DurationMinutes: 90),
            new CatalogEntry("consult", "Консультация", 100000, "RUB"),
        ], CancellationToken.None);
        Assert.True(r.IsSuccess);
        return (m.Merchant.Id, Client(m.ApiKey));
    }

    public async Task<JsonElement> BookAsync(HttpClient api, string start, string service = "manicure", string? staff = null,
        string phone = "+79161234567", string extra = "")
    {
        var staffJson = staff is null ? "" : $",\"staff\":\"{staff}\"";
        var r = await api.PostJsonAsync("/api/v1/bookings",
            $$"""{"customer":{"name":"Анна","phone":"{{phone}}","email":"anna@example.com"},"serviceId":"{{service}}","start":"{{start}}"{{staffJson}}{{extra}}}""");
        return await r.ReadJsonAsync(HttpStatusCode.Created);
    }
}

public sealed class BookingsSqliteHost() : BookingsHost(Db.Sqlite);
public sealed class BookingsPostgresHost() : BookingsHost(Db.Postgres);
