using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Core.Webhooks;

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
        services.AddOptions<JobsOptions>().Bind(config.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboundOptions>().Bind(config.GetSection(OutboundOptions.Section));
        // Webhooks:AllowPrivateNetworks predates the Outbound section; either one opens webhooks to private networks.
        services.AddOptions<WebhooksOptions>().Bind(config.GetSection(WebhooksOptions.Section)).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure<IOptions<OutboundOptions>>((w, o) => w.AllowPrivateNetworks |= o.Value.AllowPrivateNetworks);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PublicUrls>();
        services.AddScoped<MerchantScope>();
        services.AddMemoryCache();

        var dataDir = config["DATA_DIR"] ?? config["DataDir"] ?? "./data";
        var db = new DatabaseOptions();
        config.GetSection(DatabaseOptions.Section).Bind(db);
        AddDatabase(services, db, dataDir);

        // Several instances share one PostgreSQL database, so they share the key ring there; a SQLite
        // install is one process with its keys beside the database file.
        var dataProtection = services.AddDataProtection().SetApplicationName("Paylink");
        if (db.EffectiveProvider == "postgres") dataProtection.PersistKeysToDbContext<PostgresAppDbContext>();
        else
        {
            OwnerOnlyFiles.Directory(dataDir);
            dataProtection.PersistKeysToFileSystem(OwnerOnlyFiles.Directory(Path.Combine(dataDir, "keys")));
        }
        // Optional: the key ring encrypted at rest with a certificate (docs/deployment.md), so a copy of the keys
        // directory or the DataProtectionKeys table alone does not open the secrets.
        if (config["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, config["DataProtection:CertificatePassword"]));
        services.AddSingleton<SecretProtector>();
        AddDashboardIdentity(services);
        services.AddSingleton(typeof(ProviderRegistry<>));

        services.AddScoped<CreateMerchant>();
        services.AddScoped<Data.Generation.GenerateData>();
        services.AddScoped<CreateApiKey>();
        services.AddScoped<RevokeApiKey>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<ImportCatalog>();
        services.AddSingleton<OutboundSettings>();
        services.AddScoped<GatewayAccounts>();
        services.AddScoped<CreatePaymentLink>();
        services.AddSingleton<LinkCreationBatcher>();
        services.AddScoped<CancelPaymentLink>();
        services.AddScoped<GetPaymentLink>();
        services.AddScoped<ListPaymentLinks>();
        services.AddScoped<OpenPayPage>();
        services.AddScoped<StartCheckout>();
        services.AddScoped<SbpPayPage>();
        services.AddScoped<PaymentMethodSettingsStore>();
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
        services.AddScoped<Receipts.SelfEmployedAccounts>();
        services.AddScoped<Receipts.SelfEmployedOverview>();
        services.AddScoped<ReconcilePayments>();
        services.AddScoped<ReconciliationReport>();
        services.AddScoped<ExportPayments>();
        services.AddScoped<PersonalData.ClientPersonalData>();
        services.AddScoped<PersonalData.PersonalDataPolicy>();
        services.AddScoped<Paylink.Core.Metrics.ComputeMetrics>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Migrator>();
        services.AddScoped<CreateWebhookEndpoint>();
        services.AddScoped<ManageWebhookEndpoints>();
        services.AddScoped<RedeliverWebhook>();
        services.AddSingleton<Bookings.BookingHooks>();
        services.AddScoped<Bookings.CreateBooking>();
        services.AddScoped<Bookings.ChangeBookingStatus>();
        services.AddScoped<Bookings.RescheduleBooking>();
        services.AddScoped<Assistance.AssistantSettingsStore>();
        services.AddScoped<Documents.RequisitesStore>();
        services.AddScoped<Documents.CreateInvoice>();
        services.AddScoped<Documents.SendInvoice>();
        services.AddScoped<Documents.InvoiceQueries>();
        services.AddScoped<Documents.ImportStatement>();
        services.AddScoped<Documents.StatementReview>();
        services.AddScoped<Documents.ExportDocuments>();
        services.AddScoped<Assistance.AssistantConversations>();
        services.AddScoped<Bookings.ListBookings>();
        services.AddScoped<Crm.CrmQueries>();
        services.AddScoped<Crm.MergeContacts>();
        services.AddScoped<Crm.ChangeDealStage>();
        services.AddScoped<Crm.AddDealNote>();
        services.AddScoped<Crm.ManageCrmTasks>();
        services.AddScoped<Crm.CrmAccounts>();
        services.AddScoped<Crm.CrmLog>();
        services.AddScoped<Crm.ManagerTaskLinkSender>();
        services.AddScoped<Crm.IIssuedLinkSender, Messaging.ChannelLinkSender>();
        services.AddScoped<Messaging.ChannelAccounts>();
        services.AddScoped<Messaging.MessageOutbox>();
        services.AddScoped<Messaging.MessageTemplates>();
        services.AddScoped<Messaging.ReminderPolicies>();
        services.AddScoped<Messaging.SendLinkMessage>();
        services.AddScoped<Messaging.ChannelFallbackPolicies>();
        services.AddScoped<Messaging.ClientReach>();
        services.AddScoped<Messaging.ChannelFallback>();
        services.AddScoped<Messaging.MessageDeliveryReports>();
        services.AddScoped<Messaging.ScheduleLinkReminders>();
        services.AddScoped<Messaging.ScheduleVisitReminders>();
        services.AddScoped<Messaging.ReceiveChannelMessage>();
        services.AddScoped<Messaging.ReplyToConversation>();
        services.AddScoped<Messaging.ConversationQueries>();
        // The assistant replaces this registration when it takes over conversations.
        services.AddScoped<Messaging.IConversationHandler, Messaging.QueueForManager>();
        AddJobs(services, config);
        return services;
    }

    private static void AddJobs(IServiceCollection services, IConfiguration config)
    {
        var jobs = new JobsOptions();
        config.GetSection(JobsOptions.Section).Bind(jobs);
        services.AddSingleton<JobSignal>();
        services.AddSingleton<JobRegistry>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<IJobQueue, JobQueue>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<WebhookMetrics>();
        // Order matters: link-event reactions add jobs that the signal interceptor must then see.
        services.AddSingleton<IInterceptor, DbTelemetryInterceptor>();
        services.AddSingleton<IInterceptor, LinkEventsInterceptor>();
        services.AddSingleton<IInterceptor, JobSignalInterceptor>();

        services.AddLinkEventReaction<WebhookEventsReaction>();
        services.AddLinkEventReaction<Bookings.ConfirmBookingOnPayment>();
        services.AddLinkEventReaction<Documents.MarkInvoicePaidReaction>();
        services.AddLinkEventReaction<Bookings.ReleaseBookingOnExpiry>();
        services.AddLinkEventReaction<Crm.CrmLinkEventsReaction>();
        services.AddSingleton<Metrics.BusinessMetrics>();
        services.AddLinkEventReaction<Metrics.BusinessMetricsReaction>();
        services.AddJobHandler<Crm.CrmSync>(Crm.CrmSync.JobType, Crm.CrmSync.Policy);
        services.AddJobHandler<Crm.PushToCrm>(Crm.PushToCrm.JobType, Crm.PushToCrm.Policy);
        services.AddJobHandler<Crm.IssueLinkFromCrm>(Crm.IssueLinkFromCrm.JobType, Crm.IssueLinkFromCrm.Policy);
        services.AddPeriodicTask<Crm.ReconcileCrmDeals>(Crm.ReconcileCrmDeals.Name, jobs.CrmReconcileInterval);
        services.AddJobHandler<Documents.IssueAct>(Documents.IssueAct.JobType, Documents.IssueAct.Policy);
        services.AddJobHandler<Bookings.SettleBookingReceipt>(Bookings.SettleBookingReceipt.JobType, Bookings.SettleBookingReceipt.Policy);
        services.AddJobHandler<Bookings.BookingVisitReminders>(Bookings.BookingVisitReminders.JobType, Bookings.BookingVisitReminders.Policy);
        services.AddLinkEventReaction<Messaging.CancelRemindersReaction>();
        services.AddLinkEventReaction<Receipts.SelfEmployedReceiptsReaction>();
        services.AddJobHandler<Receipts.SyncSelfEmployedReceipts>(Receipts.SyncSelfEmployedReceipts.JobType, Receipts.SyncSelfEmployedReceipts.Policy);
        services.AddPeriodicTask<Receipts.SweepSelfEmployedReceipts>(Receipts.SweepSelfEmployedReceipts.Name, Receipts.SweepSelfEmployedReceipts.Every);
        services.AddJobHandler<Messaging.SendChannelMessage>(Messaging.SendChannelMessage.JobType, Messaging.SendChannelMessage.Policy);
        services.AddJobHandler<Messaging.CheckMessageDelivery>(Messaging.ChannelFallback.DeliveryCheckJob, Messaging.ChannelFallback.Policy);
        services.AddJobHandler<Messaging.SendDueReminder>(Messaging.SendDueReminder.JobType, Messaging.SendDueReminder.Policy);
        services.AddJobHandler<DeliverWebhook>(DeliverWebhook.JobType, DeliverWebhook.Policy);
        services.AddHttpClient(DeliverWebhook.HttpClientName, (sp, c) =>
            {
                c.Timeout = sp.GetRequiredService<IOptions<WebhooksOptions>>().Value.Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundGuard.CreateHandler(sp.GetRequiredService<IOptions<WebhooksOptions>>().Value.AllowPrivateNetworks))
            // Endpoint URLs may carry the merchant's own tokens: the handler logs ids and host only.
            .RemoveAllLoggers();

        services.AddPeriodicTask<ExpirePaymentLinks>(ExpirePaymentLinks.Name, jobs.LinkExpiryInterval);
        services.AddPeriodicTask<PurgeIdempotencyRecords>(PurgeIdempotencyRecords.Name, jobs.PurgeInterval);
        services.AddPeriodicTask<PurgeSucceededJobs>(PurgeSucceededJobs.Name, jobs.PurgeInterval);
        // 152-FZ retention: daily is what the law's 30-day destruction deadline needs.
        services.AddPeriodicTask<PersonalData.AnonymiseExpiredClients>(PersonalData.AnonymiseExpiredClients.Name, TimeSpan.FromDays(1));
        services.AddPeriodicTask<ReconcilePaymentsTask>(ReconcilePaymentsTask.Name, jobs.ReconcileInterval);
        services.AddPeriodicTask<ReconciliationReportTask>(ReconciliationReportTask.Name, jobs.ReconciliationReportInterval);
    }

    private static void AddDatabase(IServiceCollection services, DatabaseOptions db, string dataDir)
    {
        if (db.EffectiveProvider == "postgres")
        {
            var cs = PostgresConnectionDefaults.Apply(db.ConnectionString ?? throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                ["Database:ConnectionString is required when Database:Provider is 'postgres'."]));
            services.AddPooledDbContextFactory<PostgresAppDbContext>((sp, o) => o.UseNpgsql(cs).AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext());
            services.AddScoped<AppDbContext>(sp => WithScope(sp, sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext()));
            services.AddSingleton<Func<AppDbContext>>(sp => () => sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext());
        }
        else
        {
            var cs = db.ConnectionString;
            if (string.IsNullOrEmpty(cs))
            {
                OwnerOnlyFiles.Directory(dataDir);
                OwnerOnlyFiles.File(Path.Combine(dataDir, "paylink.db"));
                cs = new SqliteConnectionStringBuilder
                {
                    DataSource = Path.Combine(dataDir, "paylink.db"),
                    Pooling = true,
                    DefaultTimeout = 30,
                }.ToString();
            }
            // One write gate per database file and process: every context of this container shares it.
            var gate = new SqliteWriteGate();
            services.AddPooledDbContextFactory<SqliteAppDbContext>((sp, o) =>
                o.UseSqlite(cs).AddInterceptors(SqlitePragmas.Instance, gate).AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddScoped<AppDbContext>(sp => WithScope(sp, sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext()));
            services.AddSingleton<Func<AppDbContext>>(sp => () => sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext());
            // Created by a factory so the container disposes it (closing the connections) with itself.
            services.AddSingleton(_ => new SqliteReadConnections(cs, Math.Max(4, 2 * Environment.ProcessorCount)));
        }
    }

    /// <summary>Identity's user store on AppDbContext (the dashboard's sign-in; the server adds cookies and SignInManager).</summary>
    private static void AddDashboardIdentity(IServiceCollection services)
    {
        services.AddIdentityCore<Dashboard.DashboardUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Generated passwords are long random strings; length is what matters, not character classes.
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            // TOTP (authenticator app) is the only second factor; no e-mail or phone tokens.
            .AddTokenProvider<Microsoft.AspNetCore.Identity.AuthenticatorTokenProvider<Dashboard.DashboardUser>>(
                Microsoft.AspNetCore.Identity.TokenOptions.DefaultAuthenticatorProvider);
        services.AddScoped<Dashboard.CreateDashboardUser>();
        services.AddScoped<Dashboard.ResetDashboardPassword>();
    }

    private static AppDbContext WithScope(IServiceProvider sp, AppDbContext ctx)
    {
        ctx.Scope = sp.GetRequiredService<MerchantScope>();
        return ctx;
    }
}
