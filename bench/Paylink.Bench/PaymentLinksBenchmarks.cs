using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;

namespace Paylink.Bench;

/// <summary>
/// In-process cost of the two hot paths on SQLite: reading a pay page's data and creating a link.
/// Complements bench/http-bench.sh (which measures through HTTP as a ratio to a hello endpoint).
/// Run: dotnet run -c Release --project bench/Paylink.Bench -- --filter '*PaymentLinks*'
/// </summary>
[MemoryDiagnoser]
public class PaymentLinksBenchmarks
{
    private ServiceProvider _services = null!;
    private string _merchantId = "";
    private string _code = "";
    private string _dir = "";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("paylink-bench-").FullName;
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATA_DIR"] = _dir }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPaylinkCore(config);
        // The sandbox gateway lives in Providers; the bench registers a minimal gateway so merchants get an account.
        services.AddSingleton<IPaymentGateway, NoCheckoutGateway>();
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(default).GetAwaiter().GetResult();
        var m = scope.ServiceProvider.GetRequiredService<CreateMerchant>()
            .HandleAsync(new CreateMerchantRequest("Bench"), default).GetAwaiter().GetResult().Value;
        _merchantId = m.Merchant.Id;
        _code = CreateLinkAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Benchmark]
    public async Task<LinkStatus> OpenPayPage()
    {
        await using var scope = _services.CreateAsyncScope();
        var r = await scope.ServiceProvider.GetRequiredService<OpenPayPage>().HandleAsync(_code, recordOpen: true, default);
        return r.Value.Status;
    }

    [Benchmark]
    public Task<string> CreateLink() => CreateLinkAsync();

    private async Task<string> CreateLinkAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var r = await scope.ServiceProvider.GetRequiredService<CreatePaymentLink>()
            .HandleAsync(_merchantId, new CreatePaymentLinkRequest(250000, "RUB", "Маникюр с покрытием"), default);
        return r.Value.Code;
    }

    private sealed class NoCheckoutGateway : IPaymentGateway
    {
        public string Id => "sandbox";
        public Result<System.Text.Json.Nodes.JsonObject> ValidateSettings(System.Text.Json.Nodes.JsonObject settings) => settings;
        public System.Text.Json.Nodes.JsonObject MaskSettings(System.Text.Json.Nodes.JsonObject settings) => settings;
        public Task<Result<CheckoutSession>> CreateCheckoutAsync(GatewayContext context, CheckoutRequest request, CancellationToken ct) =>
            throw new NotSupportedException("not used by this benchmark");
        public Task<Result<GatewayNotification>> VerifyNotificationAsync(GatewayContext context, InboundHttpRequest request, CancellationToken ct) =>
            throw new NotSupportedException("not used by this benchmark");
    }
}
