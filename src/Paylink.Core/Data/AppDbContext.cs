using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Bookings;
using Paylink.Core.Catalog;
using Paylink.Core.Crm;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Dashboard;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.Orders;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Refunds;
using Paylink.Core.Webhooks;

namespace Paylink.Core.Data;

/// <summary>
/// One model for SQLite and PostgreSQL. Each concrete subclass carries its own migration set. Every
/// merchant-owned entity has a query filter on <see cref="MerchantScope"/>: with a merchant in scope
/// (an API request), rows of other merchants are invisible.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityUserContext<DashboardUser>(options), IDataProtectionKeyContext
{
    /// <summary>Set when the context is handed out; null means system access (CLI, jobs, pay pages).</summary>
    public MerchantScope? Scope { get; set; }

    private string? ScopeMerchantId => Scope?.MerchantId;

    public DbSet<Merchant> Merchants => Set<Merchant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CatalogService> CatalogServices => Set<CatalogService>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<PersonalData.ConsentDocument> ConsentDocuments => Set<PersonalData.ConsentDocument>();
    public DbSet<PersonalData.ConsentRecord> ConsentRecords => Set<PersonalData.ConsentRecord>();
    public DbSet<PersonalData.PersonalDataAuditEntry> PersonalDataAudit => Set<PersonalData.PersonalDataAuditEntry>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<PaymentLink> PaymentLinks => Set<PaymentLink>();
    public DbSet<LinkEvent> LinkEvents => Set<LinkEvent>();
    public DbSet<PaymentAttempt> PaymentAttempts => Set<PaymentAttempt>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<GatewayAccount> GatewayAccounts => Set<GatewayAccount>();
    public DbSet<SandboxCheckout> SandboxCheckouts => Set<SandboxCheckout>();
    public DbSet<InboundEvent> InboundEvents => Set<InboundEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Refund> Refunds => Set<Refund>();
    public DbSet<SavedPaymentMethod> SavedPaymentMethods => Set<SavedPaymentMethod>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<Deal> Deals => Set<Deal>();
    public DbSet<TimelineEntry> TimelineEntries => Set<TimelineEntry>();
    public DbSet<CrmTask> CrmTasks => Set<CrmTask>();
    public DbSet<CrmAccount> CrmAccounts => Set<CrmAccount>();
    public DbSet<CrmRemoteLink> CrmRemoteLinks => Set<CrmRemoteLink>();
    public DbSet<CrmLogEntry> CrmLogEntries => Set<CrmLogEntry>();
    public DbSet<Receipts.SelfEmployedAccount> SelfEmployedAccounts => Set<Receipts.SelfEmployedAccount>();
    public DbSet<Receipts.SelfEmployedReceipt> SelfEmployedReceipts => Set<Receipts.SelfEmployedReceipt>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ChannelAccount> ChannelAccounts => Set<ChannelAccount>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ChannelMessage> ChannelMessages => Set<ChannelMessage>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<ReminderPolicyRecord> ReminderPolicies => Set<ReminderPolicyRecord>();
    public DbSet<Assistance.MerchantSetting> MerchantSettings => Set<Assistance.MerchantSetting>();
    public DbSet<Assistance.AssistantDecision> AssistantDecisions => Set<Assistance.AssistantDecision>();
    public DbSet<Documents.Invoice> Invoices => Set<Documents.Invoice>();
    public DbSet<Documents.StatementLine> StatementLines => Set<Documents.StatementLine>();
    public DbSet<Documents.Act> Acts => Set<Documents.Act>();
    /// <summary>ASP.NET Data Protection keys, shared by all instances when the provider is PostgreSQL.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Jobs were saved inside a transaction not yet committed (see <see cref="JobSignalInterceptor"/>).</summary>
    internal bool JobsAwaitingCommit { get; set; }

    /// <summary>A time as a raw SQL parameter: PostgreSQL takes it as is, SQLite in its stored integer encoding.</summary>
    public virtual object DbTime(DateTimeOffset value) => value;

    /// <summary>A time read from a raw SQL result column, the inverse of <see cref="DbTime"/>.</summary>
    public virtual DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <summary>True when the provider is SQLite (single writer; no row locks). Overridden rather than
    /// read from <c>Database.ProviderName</c>, which costs a reflection call each time.</summary>
    public virtual bool IsSqlite => false;

    protected override void OnModelCreating(ModelBuilder b)
    {
        // Identity's users, claims, logins and tokens (authenticator keys, recovery codes) for the dashboard.
        base.OnModelCreating(b);
        b.Entity<DashboardUser>(e =>
        {
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Role).HasMaxLength(16);
            e.HasIndex(x => x.MerchantId);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Merchant>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.LegalName).HasMaxLength(300);
            e.Property(x => x.Inn).HasMaxLength(12);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.Property(x => x.DefaultCurrency).HasMaxLength(3);
            e.Ignore(x => x.Zone);
            e.OwnsOne(x => x.Fiscal, f =>
            {
                f.Property(x => x.TaxSystem).HasMaxLength(30);
                f.Property(x => x.DefaultVat).HasMaxLength(10);
                f.Property(x => x.PaymentMethod).HasMaxLength(20);
                f.Property(x => x.DefaultPaymentObject).HasMaxLength(20);
                f.Property(x => x.DefaultMeasure).HasMaxLength(20);
                f.Property(x => x.FfdVersion).HasMaxLength(5);
            });
            e.Navigation(x => x.Fiscal).IsRequired();
        });
        b.Entity<ApiKey>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Hash).HasMaxLength(64);
            e.Property(x => x.Hint).HasMaxLength(20);
            e.HasIndex(x => x.Hash).IsUnique();
            e.HasIndex(x => x.MerchantId);
            e.Ignore(x => x.IsActive);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<CatalogService>(e =>
        {
            e.HasKey(x => new { x.MerchantId, x.Id });
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Ignore(x => x.Price);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Customer>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Phone).HasMaxLength(16);
            e.Property(x => x.Email).HasMaxLength(254);
            e.Property(x => x.MergedIntoId).HasMaxLength(40);
            e.Property(x => x.ChannelOrder).HasMaxLength(200);
            e.HasIndex(x => new { x.MerchantId, x.Phone });
            e.HasIndex(x => new { x.MerchantId, x.Email });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Order>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.ExternalId).HasMaxLength(64);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.HasIndex(x => new { x.MerchantId, x.ExternalId }).IsUnique();
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<PaymentLink>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.OrderId).HasMaxLength(40);
            e.Property(x => x.OrderRef).HasMaxLength(64);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.GatewayAccountId).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Status).HasConversion(s => s.ToWire(), s => ParseStatus(s)).HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.CaptureMode).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.DefaultMethod).HasMaxLength(10);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Id });
            // The dashboard overview and metrics read a merchant's links by creation time; the links list filters by status, newest first.
            e.HasIndex(x => new { x.MerchantId, x.CreatedAt });
            e.HasIndex(x => new { x.MerchantId, x.Status, x.Id });
            e.HasIndex(x => new { x.Status, x.ExpiresAt });
            e.HasIndex(x => x.OrderId);
            e.Ignore(x => x.Amount);
            // Items never change after creation and are always read with the link: one JSON column, no join.
            e.OwnsMany(x => x.Items, i => i.ToJson());
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
            e.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId);
        });
        b.Entity<LinkEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.Type).HasMaxLength(40);
            e.HasIndex(x => new { x.LinkId, x.Id });
            e.HasIndex(x => new { x.MerchantId, x.At });
        });
        b.Entity<PaymentAttempt>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.GatewayAccountId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ExternalId).HasMaxLength(100);
            e.Property(x => x.CheckoutUrl).HasMaxLength(2000);
            e.Property(x => x.FailureReason).HasMaxLength(500);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ConsentJson).HasMaxLength(1000);
            e.Property(x => x.SavedMethodId).HasMaxLength(40);
            e.Property(x => x.Method).HasConversion(m => m.ToWire(), s => PayMethods.Parse(s) ?? PayMethod.Other).HasMaxLength(10);
            e.Property(x => x.BindingKey).HasMaxLength(100);
            e.HasIndex(x => x.BindingKey);
            e.HasIndex(x => x.LinkId);
            e.HasIndex(x => new { x.Status, x.CreatedAt });
            e.Ignore(x => x.Amount);
        });
        b.Entity<Payment>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.AttemptId).HasMaxLength(40);
            e.Property(x => x.GatewayAccountId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.ExternalId).HasMaxLength(100);
            e.Property(x => x.Currency).HasMaxLength(3);
            // One payment per link and per gateway payment: the database itself refuses a double record.
            e.HasIndex(x => x.LinkId).IsUnique();
            e.HasIndex(x => new { x.Provider, x.ExternalId }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.PaidAt });
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Method).HasConversion(m => m.ToWire(), s => PayMethods.Parse(s) ?? PayMethod.Other).HasMaxLength(10);
            e.Ignore(x => x.Amount);
            e.Ignore(x => x.Refundable);
        });
        b.Entity<Refund>(e =>
        {
            e.ToTable("Refunds");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.PaymentId).HasMaxLength(40);
            e.Property(x => x.GatewayAccountId).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.ExternalId).HasMaxLength(100);
            e.Property(x => x.FailureReason).HasMaxLength(500);
            e.Property(x => x.ReceiptJson).HasMaxLength(20000);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => x.LinkId);
            e.HasIndex(x => new { x.Status, x.CreatedAt });
            e.Ignore(x => x.Amount);
            e.HasOne<Payment>().WithMany().HasForeignKey(x => x.PaymentId);
        });
        b.Entity<SavedPaymentMethod>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.GatewayAccountId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Title).HasMaxLength(100);
            e.Property(x => x.SourceLinkId).HasMaxLength(40);
            e.Property(x => x.ConsentVersion).HasMaxLength(40);
            e.Property(x => x.ConsentChannel).HasMaxLength(20);
            e.Property(x => x.ConsentIp).HasMaxLength(45);
            e.Property(x => x.ConsentUserAgent).HasMaxLength(300);
            e.Property(x => x.Method).HasConversion(m => m.ToWire(), s => PayMethods.Parse(s) ?? PayMethod.Other).HasMaxLength(10);
            e.Property(x => x.RevokedReason).HasMaxLength(20);
            e.HasIndex(x => x.CustomerId);
            e.HasIndex(x => x.SourceLinkId).IsUnique();
            e.Ignore(x => x.IsActive);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId);
        });
        b.Entity<GatewayAccount>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => new { x.MerchantId, x.Position });
            e.Ignore(x => x.IsActive);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<SandboxCheckout>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Reference).HasMaxLength(64);
            e.Property(x => x.NotificationUrl).HasMaxLength(2000);
            e.Property(x => x.ReturnUrl).HasMaxLength(2000);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Ignore(x => x.AccountToken);
        });
        b.Entity<InboundEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.EventId).HasMaxLength(100);
            e.Property(x => x.Outcome).HasMaxLength(40);
            // Dedupe per account: event ids are unique only within one gateway/channel/CRM account.
            e.HasIndex(x => new { x.Provider, x.AccountId, x.EventId }).IsUnique();
        });
        b.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(x => new { x.MerchantId, x.Key });
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Key).HasMaxLength(255);
            e.Property(x => x.Operation).HasMaxLength(60);
            e.Property(x => x.RequestHash).HasMaxLength(64);
            e.HasIndex(x => x.CreatedAt);
        });

        b.Entity<Job>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Type).HasMaxLength(100);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.LastError).HasMaxLength(Job.MaxErrorLength);
            e.Property(x => x.LockedBy).HasMaxLength(160);
            e.Property(x => x.DedupeKey).HasMaxLength(200);
            e.Property(x => x.TraceParent).HasMaxLength(60);
            // The claim (State = 'Pending' AND RunAt <= now ORDER BY RunAt) reads a partial index of pending jobs only:
            // its size is the backlog, not the history, so the claim stays O(due jobs) with millions of succeeded rows.
            e.HasIndex(x => x.RunAt, "IX_Jobs_Pending_RunAt").HasFilter("\"State\" = 'Pending'");
            // jobs.purge walks succeeded jobs by completion time, batch by batch.
            e.HasIndex(x => x.CompletedAt, "IX_Jobs_Succeeded_CompletedAt").HasFilter("\"State\" = 'Succeeded'");
            // Lease recovery looks for running jobs whose lease ran out: only running rows have a lease.
            e.HasIndex(x => x.LockedUntil).HasFilter("\"State\" = 'Running'");
            e.HasIndex(x => new { x.Type, x.DedupeKey }).IsUnique();
        });
        b.Entity<WebhookEndpoint>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
            e.Property(x => x.Events).HasMaxLength(300);
            e.Property(x => x.DisabledReason).HasMaxLength(200);
            e.Ignore(x => x.EventList);
            e.HasIndex(x => new { x.MerchantId, x.Enabled });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<WebhookDelivery>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.EndpointId).HasMaxLength(40);
            e.Property(x => x.EventType).HasMaxLength(40);
            e.Property(x => x.EventId).HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.Property(x => x.LastResponseBody).HasMaxLength(WebhookDelivery.MaxResponseBody * 4);
            e.HasIndex(x => new { x.EndpointId, x.Id });
            e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Booking>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.ServiceId).HasMaxLength(64);
            e.Property(x => x.ServiceName).HasMaxLength(200);
            e.Property(x => x.Staff).HasMaxLength(CreateBooking.MaxStaff);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.Status).HasConversion(s => s.ToWire(), s => ParseBookingStatus(s)).HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Price);
            e.Ignore(x => x.IsFinal);
            // The overlap check reads a staff member's bookings around a time.
            e.HasIndex(x => new { x.MerchantId, x.Staff, x.StartAt });
            // Metrics count a merchant's visits in a period, whoever the staff member.
            e.HasIndex(x => new { x.MerchantId, x.StartAt });
            e.HasIndex(x => x.LinkId);
            e.HasIndex(x => x.CustomerId);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId);
        });

        OnCrmModelCreating(b);
        ConfigureMessaging(b);
        ApplyMerchantFilters(b);
    }

    private static void ConfigureMessaging(ModelBuilder b)
    {
        b.Entity<ChannelAccount>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Name).HasMaxLength(ChannelAccount.MaxName);
            e.Property(x => x.Slug).HasMaxLength(64);
            e.HasIndex(x => x.MerchantId);
            e.HasIndex(x => x.Slug).IsUnique();
            e.Ignore(x => x.IsActive);
            e.Ignore(x => x.CanSend);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Conversation>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.Address).HasMaxLength(320);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.DisplayName).HasMaxLength(Conversation.MaxDisplayName);
            e.Property(x => x.Language).HasMaxLength(5);
            e.Property(x => x.AssistantState).HasMaxLength(Conversation.MaxAssistantState);
            e.Property(x => x.AssistantCursor).HasMaxLength(40);
            // One conversation per account and client address: inbound and outbound meet in it.
            e.HasIndex(x => new { x.AccountId, x.Address }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.LastMessageAt });
            e.HasIndex(x => x.CustomerId);
            e.HasOne<ChannelAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<ChannelMessage>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.ConversationId).HasMaxLength(40);
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.Direction).HasMaxLength(3);
            e.Property(x => x.To).HasMaxLength(320);
            e.Property(x => x.Template).HasMaxLength(40);
            e.Property(x => x.Language).HasMaxLength(5);
            e.Property(x => x.Text).HasMaxLength(ChannelMessage.MaxText);
            e.Property(x => x.Subject).HasMaxLength(300);
            e.Property(x => x.ButtonsJson).HasMaxLength(2000);
            e.Property(x => x.Author).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.ProviderMessageId).HasMaxLength(100);
            e.Property(x => x.Error).HasMaxLength(ChannelMessage.MaxError);
            e.Property(x => x.FallbackFromId).HasMaxLength(40);
            // One fallback per undelivered message: never two channels at once for the same step.
            e.HasIndex(x => x.FallbackFromId).IsUnique();
            e.Ignore(x => x.IsFinal);
            e.HasIndex(x => new { x.ConversationId, x.CreatedAt });
            e.HasIndex(x => x.LinkId);
            e.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
        });
        b.Entity<Reminder>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Kind).HasMaxLength(10);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.ConversationId).HasMaxLength(40);
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.Status).HasMaxLength(20);
            e.Property(x => x.MessageId).HasMaxLength(40);
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.Service).HasMaxLength(200);
            e.HasIndex(x => new { x.LinkId, x.Step });
            e.HasIndex(x => new { x.ConversationId, x.Status });
        });
        b.Entity<MessageTemplate>(e =>
        {
            e.HasKey(x => new { x.MerchantId, x.Event, x.Language });
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Event).HasMaxLength(40);
            e.Property(x => x.Language).HasMaxLength(5);
            e.Property(x => x.Text).HasMaxLength(MessageTemplate.MaxText);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<PersonalData.ConsentDocument>(e =>
        {
            e.HasKey(x => new { x.MerchantId, x.Version });
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Text).HasMaxLength(PersonalData.ConsentDocument.MaxText);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<PersonalData.ConsentRecord>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.ConversationId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.Channel).HasMaxLength(20);
            e.Property(x => x.Ip).HasMaxLength(45);
            e.Property(x => x.UserAgent).HasMaxLength(PersonalData.ConsentRecord.MaxUserAgent);
            e.HasIndex(x => new { x.MerchantId, x.CustomerId });
            e.HasIndex(x => new { x.MerchantId, x.ConversationId });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<PersonalData.PersonalDataAuditEntry>(e =>
        {
            e.ToTable("PersonalDataAudit");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.CustomerId).HasMaxLength(40);
            e.Property(x => x.Action).HasMaxLength(40);
            e.Property(x => x.Actor).HasMaxLength(300);
            e.Property(x => x.Detail).HasMaxLength(500);
            e.HasIndex(x => new { x.MerchantId, x.CustomerId });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Documents.Invoice>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.BuyerName).HasMaxLength(300);
            e.Property(x => x.BuyerInn).HasMaxLength(12);
            e.Property(x => x.BuyerKpp).HasMaxLength(9);
            e.Property(x => x.BuyerAddress).HasMaxLength(500);
            e.Property(x => x.BuyerEmail).HasMaxLength(254);
            e.Property(x => x.LinesJson).HasMaxLength(60000);
            e.Property(x => x.SellerJson).HasMaxLength(Assistance.MerchantSetting.MaxJson);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Purpose).HasMaxLength(210);
            e.Property(x => x.Comment).HasMaxLength(500);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.LinkCode).HasMaxLength(32);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            // Numbers per merchant and year without gaps: the database refuses a second use of one (CreateInvoice retries).
            e.HasIndex(x => new { x.MerchantId, x.Year, x.Number }).IsUnique();
            e.HasIndex(x => x.LinkId).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Id });
            e.Ignore(x => x.Amount);
            e.Ignore(x => x.NumberText);
            e.Ignore(x => x.Lines);
            e.Ignore(x => x.Seller);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
            e.HasOne<PaymentLink>().WithMany().HasForeignKey(x => x.LinkId);
        });
        b.Entity<Documents.Act>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.InvoiceId).HasMaxLength(40);
            e.Property(x => x.Kind).HasMaxLength(10);
            // One act per счёт; numbers per merchant and year without gaps (IssueAct retries on a collision).
            e.HasIndex(x => x.InvoiceId).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Year, x.Number }).IsUnique();
            e.Ignore(x => x.NumberText);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
            e.HasOne<Documents.Invoice>().WithMany().HasForeignKey(x => x.InvoiceId);
        });
        b.Entity<Documents.StatementLine>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Key).HasMaxLength(40);
            e.Property(x => x.DocumentNumber).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.PayerInn).HasMaxLength(12);
            e.Property(x => x.PayerName).HasMaxLength(300);
            e.Property(x => x.Purpose).HasMaxLength(500);
            e.Property(x => x.Reason).HasMaxLength(30);
            e.Property(x => x.InvoiceId).HasMaxLength(40);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            // One row per transfer and merchant: a statement imported twice (or overlapping ones) adds nothing.
            e.HasIndex(x => new { x.MerchantId, x.Key }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Status });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Assistance.MerchantSetting>(e =>
        {
            e.HasKey(x => new { x.MerchantId, x.Kind });
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Json).HasMaxLength(Assistance.MerchantSetting.MaxJson);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Assistance.AssistantDecision>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.ConversationId).HasMaxLength(40);
            e.Property(x => x.MessageId).HasMaxLength(40);
            e.Property(x => x.Intent).HasMaxLength(20);
            e.Property(x => x.Source).HasMaxLength(20);
            e.Property(x => x.Action).HasMaxLength(Assistance.AssistantDecision.MaxAction);
            e.Property(x => x.ServiceId).HasMaxLength(100);
            e.Property(x => x.BookingId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.HasIndex(x => new { x.ConversationId, x.Id });
            e.HasIndex(x => new { x.MerchantId, x.Id });
            e.HasOne<Conversation>().WithMany().HasForeignKey(x => x.ConversationId);
        });
        b.Entity<ReminderPolicyRecord>(e =>
        {
            e.ToTable("ReminderPolicies");
            e.HasKey(x => x.MerchantId);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Json).HasMaxLength(4000);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
    }

    private static void OnCrmModelCreating(ModelBuilder b)
    {
        b.Entity<Deal>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.ContactId).HasMaxLength(40);
            e.Property(x => x.Title).HasMaxLength(500);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ServiceId).HasMaxLength(64);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.BookingId).HasMaxLength(40);
            e.Property(x => x.Source).HasMaxLength(20);
            e.Property(x => x.Stage).HasConversion(s => s.ToWire(), s => ParseDealStage(s)).HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Amount);
            // One deal per link and per booking: concurrent sync jobs cannot make two (NULLs do not collide).
            e.HasIndex(x => new { x.MerchantId, x.LinkId }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.BookingId }).IsUnique();
            e.HasIndex(x => x.ContactId);
            e.HasIndex(x => new { x.MerchantId, x.Stage });
            e.HasIndex(x => new { x.MerchantId, x.CreatedAt });
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.ContactId);
        });
        b.Entity<TimelineEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.ContactId).HasMaxLength(40);
            e.Property(x => x.DealId).HasMaxLength(40);
            e.Property(x => x.Kind).HasMaxLength(10);
            e.Property(x => x.Text).HasMaxLength(TimelineEntry.MaxText);
            e.Property(x => x.SourceKey).HasMaxLength(120);
            e.HasIndex(x => new { x.MerchantId, x.SourceKey }).IsUnique();
            e.HasIndex(x => x.DealId);
            e.HasIndex(x => x.ContactId);
        });
        b.Entity<CrmTask>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.DealId).HasMaxLength(40);
            e.Property(x => x.Text).HasMaxLength(CrmTask.MaxText);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            e.HasIndex(x => new { x.MerchantId, x.Status });
            e.HasIndex(x => x.DealId);
        });
        b.Entity<CrmAccount>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.Ignore(x => x.IsActive);
            e.HasIndex(x => x.MerchantId);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Receipts.SelfEmployedAccount>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Inn).HasMaxLength(12);
            e.Property(x => x.LastError).HasMaxLength(500);
            e.Property(x => x.LastErrorKind).HasMaxLength(20);
            e.Ignore(x => x.IsActive);
            e.HasIndex(x => x.MerchantId);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<Receipts.SelfEmployedReceipt>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.PaymentId).HasMaxLength(40);
            e.Property(x => x.LinkId).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ClientType).HasMaxLength(20);
            e.Property(x => x.ClientInn).HasMaxLength(12);
            e.Property(x => x.ClientName).HasMaxLength(256);
            e.Property(x => x.ReceiptId).HasMaxLength(64);
            e.Property(x => x.ReceiptUrl).HasMaxLength(300);
            e.Property(x => x.LastError).HasMaxLength(Receipts.SelfEmployedReceipt.MaxError);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Ignore(x => x.Amount);
            e.Ignore(x => x.IsLive);
            e.HasIndex(x => new { x.PaymentId, x.Sequence }).IsUnique();
            e.HasIndex(x => new { x.MerchantId, x.Status });
            e.HasIndex(x => x.LinkId);
            e.HasOne<Merchant>().WithMany().HasForeignKey(x => x.MerchantId);
        });
        b.Entity<CrmRemoteLink>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.EntityType).HasMaxLength(20);
            e.Property(x => x.LocalId).HasMaxLength(80);
            e.Property(x => x.RemoteId).HasMaxLength(40);
            e.Property(x => x.PushedStage).HasMaxLength(20);
            e.HasIndex(x => new { x.AccountId, x.EntityType, x.LocalId }).IsUnique();
            e.HasIndex(x => new { x.AccountId, x.EntityType, x.RemoteId });
            e.HasOne<CrmAccount>().WithMany().HasForeignKey(x => x.AccountId);
        });
        b.Entity<CrmLogEntry>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.MerchantId).HasMaxLength(40);
            e.Property(x => x.AccountId).HasMaxLength(40);
            e.Property(x => x.Level).HasMaxLength(10);
            e.Property(x => x.Operation).HasMaxLength(40);
            e.Property(x => x.Message).HasMaxLength(1000);
            e.Property(x => x.DealId).HasMaxLength(40);
            e.HasIndex(x => new { x.AccountId, x.Id });
        });
    }

    private void ApplyMerchantFilters(ModelBuilder b)
    {
        b.Entity<ApiKey>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<CatalogService>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Customer>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Order>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<PaymentLink>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<LinkEvent>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<PaymentAttempt>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Payment>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<GatewayAccount>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Refund>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<SavedPaymentMethod>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<WebhookEndpoint>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Deal>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<TimelineEntry>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<CrmTask>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<CrmAccount>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Receipts.SelfEmployedAccount>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Receipts.SelfEmployedReceipt>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<CrmLogEntry>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Booking>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<WebhookDelivery>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<ChannelAccount>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Conversation>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<ChannelMessage>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Reminder>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<MessageTemplate>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<ReminderPolicyRecord>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Assistance.MerchantSetting>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<PersonalData.ConsentDocument>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<PersonalData.ConsentRecord>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<PersonalData.PersonalDataAuditEntry>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Documents.Act>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Documents.StatementLine>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Documents.Invoice>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
        b.Entity<Assistance.AssistantDecision>().HasQueryFilter(x => ScopeMerchantId == null || x.MerchantId == ScopeMerchantId);
    }

    internal static LinkStatus ParseStatus(string s) =>
        LinkStatusNames.TryParse(s, out var st) ? st : throw new InvalidOperationException($"Unknown link status '{s}' in database.");

    private static DealStage ParseDealStage(string s) =>
        DealStageNames.TryParse(s, out var st) ? st : throw new InvalidOperationException($"Unknown deal stage '{s}' in database.");

    private static BookingStatus ParseBookingStatus(string s) =>
        BookingStatusNames.TryParse(s, out var st) ? st : throw new InvalidOperationException($"Unknown booking status '{s}' in database.");

    /// <summary>True when the exception is a unique-index violation on either database.</summary>
    /// <summary>
    /// Saves an insert-or-update of a row keyed by a unique index (a merchant's settings document, template, policy):
    /// <paramref name="stage"/> looks the row up and adds or changes it; when a concurrent first save inserted the same
    /// key between our read and our write, the added rows are dropped and <paramref name="stage"/> runs again, now
    /// finding the row and updating it. So N concurrent first PUTs end with one row and N successes (last write wins).
    /// Only for handlers whose unit of work is that one upsert.
    /// </summary>
    public async Task UpsertAsync(Func<CancellationToken, Task> stage, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await stage(ct);
            try
            {
                await SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException ex) when (attempt < 5 && IsUniqueViolation(ex))
            {
                foreach (var entry in ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList()) entry.State = EntityState.Detached;
            }
        }
    }

    public static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException switch
        {
            Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
            Npgsql.PostgresException p => p.SqlState == "23505",
            _ => false,
        };
}
