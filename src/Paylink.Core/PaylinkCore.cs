using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;

namespace Paylink.Core;

/// <summary>Registers Core services. Called by both composition roots (Server and Cli).</summary>
public static class PaylinkCore
{
    public static IServiceCollection AddPaylinkCore(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<PaylinkOptions>()
            .Configure(o =>
            {
                config.Bind(o);
                // PAYLINK_DATA_DIR arrives as DATA_DIR once the prefix is stripped.
                o.DataDir = config["DATA_DIR"] ?? config["DataDir"] ?? o.DataDir;
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(config.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LinkOptions>().Bind(config.GetSection(LinkOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().Bind(config.GetSection(DemoOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PublicUrls>();
        services.AddScoped<MerchantScope>();
        services.AddMemoryCache();

        var dataDir = config["DATA_DIR"] ?? config["DataDir"] ?? "./data";
        var db = new DatabaseOptions();
        config.GetSection(DatabaseOptions.Section).Bind(db);
        AddDatabase(services, db, dataDir);

        var keysDir = Directory.CreateDirectory(Path.Combine(dataDir, "keys"));
        services.AddDataProtection().SetApplicationName("Paylink").PersistKeysToFileSystem(keysDir);
        services.AddSingleton<SecretProtector>();
        services.AddSingleton(typeof(ProviderRegistry<>));

        services.AddScoped<CreateMerchant>();
        services.AddScoped<CreateApiKey>();
        services.AddScoped<RevokeApiKey>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<ImportCatalog>();
        services.AddScoped<GatewayAccounts>();
        services.AddScoped<CreatePaymentLink>();
        services.AddScoped<CancelPaymentLink>();
        services.AddScoped<GetPaymentLink>();
        services.AddScoped<ListPaymentLinks>();
        services.AddScoped<OpenPayPage>();
        services.AddScoped<StartCheckout>();
        services.AddScoped<ApplyGatewayNotification>();
        services.AddScoped<MerchantCache>();
        services.AddScoped<PaymentTransitions>();
        services.AddScoped<PaymentContextLoader>();
        services.AddScoped<CapturePayment>();
        services.AddScoped<VoidPayment>();
        services.AddScoped<SettleLink>();
        services.AddScoped<Refunds.RefundPayment>();
        services.AddScoped<Customers.ChargeCustomer>();
        services.AddScoped<Customers.CustomerPaymentMethods>();
        services.AddScoped<UpdateFiscalSettings>();
        services.AddScoped<ReconcilePayments>();
        services.AddScoped<ReconciliationReport>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Migrator>();
        return services;
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions db, string dataDir)
    {
        if (db.EffectiveProvider == "postgres")
        {
            var cs = db.ConnectionString ?? throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                ["Database:ConnectionString is required when Database:Provider is 'postgres'."]);
            services.AddPooledDbContextFactory<PostgresAppDbContext>(o => o.UseNpgsql(cs));
            services.AddScoped<AppDbContext>(sp => WithScope(sp, sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext()));
            services.AddSingleton<Func<AppDbContext>>(sp => () => sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext());
        }
        else
        {
            var cs = db.ConnectionString;
            if (string.IsNullOrEmpty(cs))
            {
                Directory.CreateDirectory(dataDir);
                cs = new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(dataDir, "paylink.db"),
                    Pooling = true,
                    DefaultTimeout = 30,
                }.ToString();
            }
            // One gate per database file and process: every context of this container shares it.
            var gate = new SqliteWriteGate();
            services.AddPooledDbContextFactory<SqliteAppDbContext>(o => o.UseSqlite(cs).AddInterceptors(SqlitePragmas.Instance, gate));
            services.AddScoped<AppDbContext>(sp => WithScope(sp, sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext()));
            services.AddSingleton<Func<AppDbContext>>(sp => () => sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext());
        }
    }

    private static AppDbContext WithScope(IServiceProvider sp, AppDbContext ctx)
    {
        ctx.Scope = sp.GetRequiredService<MerchantScope>();
        return ctx;
    }
}
