using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Bookings;
using Paylink.Core.Catalog;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.Messaging;
using Paylink.Core.Orders;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;

namespace Paylink.Core.Data.Generation;

/// <summary>What <c>paylink generate-data</c> fills a database with (docs/performance.md, "A year of data").</summary>
/// <param name="Merchants">Merchants to create (each with an API key, a sandbox gateway account, the salon catalog, a web chat).</param>
/// <param name="Links">Payment links over all merchants; <paramref name="BusyShare"/> of them belong to the first ("busy") merchant.</param>
/// <param name="Days">The period the links are spread over, ending now.</param>
/// <param name="Seed">Seeds every choice (merchant shares, times, funnel, amounts, statuses); ids and link codes stay random as in production.</param>
/// <param name="JobsPerLink">Finished jobs of history per link (webhook deliveries, CRM syncs, messages), as before any purge.</param>
public sealed record GenerateDataRequest(int Merchants = 50, int Links = 1_000_000, int Days = 365, int Seed = 1, double BusyShare = 0.1,
    double PaidShare = 0.7, double ConversationShare = 0.3, int JobsPerLink = 2);

public sealed record GeneratedMerchant(string Id, string Name, string ApiKey, int Links);

public sealed record GenerateDataResult(IReadOnlyList<GeneratedMerchant> Merchants, IReadOnlyDictionary<string, long> Rows, TimeSpan Elapsed);

/// <summary>
/// Fills a database with a realistic stretch of history for load and growth tests: merchants made by the real use
/// cases (so keys, gateway secrets and catalogs are what the server reads), then per merchant customers, orders, links
/// with their event funnel (created → sent → opened → checkout → paid, or expired), attempts and payments, web-chat
/// conversations with messages, bookings and finished jobs — entities built by their own factories and status
/// methods, written with <see cref="BulkWriter"/> (PostgreSQL COPY, SQLite prepared INSERTs in one transaction per flush).
/// The reactions of link events are not run: this is history, nothing is due.
/// </summary>
public sealed class GenerateData(AppDbContext db, CreateMerchant createMerchant, ImportCatalog importCatalog, ChannelAccounts channels, TimeProvider clock)
{
    private const int FlushLinks = 5000;
    private static readonly string[] FirstNames = ["Анна", "Мария", "Елена", "Ольга", "Ирина", "Наталья", "Светлана", "Дарья", "Алексей", "Иван", "Дмитрий", "Сергей"];
    private static readonly string[] SentChannels = ["telegram", "sms", "webchat", "email"];
    private static readonly string[] Staff = ["Алина", "Вера", "Кристина", "Софья"];
    private static readonly string[] JobTypes = ["webhook.deliver", "crm.sync", "message.send", "booking.settle"];

    public static Result<GenerateDataRequest> Validate(GenerateDataRequest r)
    {
        if (r.Merchants is < 1 or > 10_000) return Error.Validation("merchants", "merchants must be between 1 and 10000.");
        if (r.Links is < 0 or > 100_000_000) return Error.Validation("links", "links must be between 0 and 100000000.");
        if (r.Days is < 1 or > 3660) return Error.Validation("days", "days must be between 1 and 3660.");
        if (r.BusyShare is < 0 or >= 1 || (r.Merchants == 1 && r.BusyShare == 0))
            return Error.Validation("busyShare", "busy-share must be at least 0 and below 1 (above 0 with one merchant).");
        if (r.PaidShare is < 0 or > 1) return Error.Validation("paidShare", "paid-share must be between 0 and 1.");
        if (r.ConversationShare is < 0 or > 1) return Error.Validation("conversationShare", "conversation-share must be between 0 and 1.");
        if (r.JobsPerLink is < 0 or > 20) return Error.Validation("jobsPerLink", "jobs-per-link must be between 0 and 20.");
        return r;
    }

    public async Task<Result<GenerateDataResult>> HandleAsync(GenerateDataRequest request, Action<string>? progress, CancellationToken ct)
    {
        var valid = Validate(request);
        if (!valid.IsSuccess) return valid.Error!;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var rnd = new Random(request.Seed);
        var shares = Shares(request, rnd);
        var merchants = new List<GeneratedMerchant>();
        var rows = new Dictionary<string, long>();
        var end = clock.GetUtcNow();
        var start = end.AddDays(-request.Days);
        for (var m = 0; m < request.Merchants; m++)
        {
            var name = m == 0 ? "Салон «Загруженный»" : $"Салон №{m + 1}";
            var created = await createMerchant.HandleAsync(new CreateMerchantRequest(name, "Europe/Moscow", "RUB"), ct);
            if (!created.IsSuccess) return created.Error!;
            var merchantId = created.Value.Merchant.Id;
            var catalog = await importCatalog.HandleAsync(merchantId, DemoSeeder.SalonCatalog, ct);
            if (!catalog.IsSuccess) return catalog.Error!;
            var chat = await channels.CreateAsync(merchantId, ChannelAccounts.WebChat, "Чат на сайте",
                new JsonObject { ["slug"] = "gen-" + merchantId.ToLowerInvariant().Replace('_', '-'), ["title"] = name }, ct);
            if (!chat.IsSuccess) return chat.Error!;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            var links = (int)Math.Round(shares[m]);
            var ctx = new MerchantContext(merchantId, created.Value.SandboxAccount.Id, created.Value.SandboxAccount.Provider, chat.Value.Id);
            await using (var writer = new BulkWriter(db))
            {
                await FillMerchantAsync(writer, ctx, links, start, end, request, new Random(request.Seed * 7919 + m), rows, ct);
                await writer.FlushAsync(ct);
            }
            merchants.Add(new GeneratedMerchant(merchantId, name, created.Value.ApiKey, links));
            progress?.Invoke($"{m + 1}/{request.Merchants} merchants, {merchants.Sum(x => x.Links):N0} links, {rows.Values.Sum():N0} rows, {started.Elapsed:hh\\:mm\\:ss}");
        }
        return new GenerateDataResult(merchants, rows, started.Elapsed);
    }

    /// <summary>Links per merchant: the busy share to the first, the rest by a long-tailed weight (a few big salons, many small).</summary>
    private static double[] Shares(GenerateDataRequest r, Random rnd)
    {
        var s = new double[r.Merchants];
        if (r.Merchants == 1) { s[0] = r.Links; return s; }
        s[0] = r.Links * r.BusyShare;
        var weights = Enumerable.Range(1, r.Merchants - 1).Select(i => (0.5 + rnd.NextDouble()) / Math.Sqrt(i)).ToArray();
        var total = weights.Sum();
        for (var i = 1; i < r.Merchants; i++) s[i] = r.Links * (1 - r.BusyShare) * weights[i - 1] / total;
        return s;
    }

    private sealed record MerchantContext(string Id, string AccountId, string Provider, string ChatAccountId);

    private sealed class Batch
    {
        public List<Customer> Customers { get; } = [];
        public List<Order> Orders { get; } = [];
        public List<PaymentLink> Links { get; } = [];
        public List<LinkEvent> Events { get; } = [];
        public List<PaymentAttempt> Attempts { get; } = [];
        public List<Payment> Payments { get; } = [];
        public List<Conversation> Conversations { get; } = [];
        public List<ChannelMessage> Messages { get; } = [];
        public List<Booking> Bookings { get; } = [];
        public List<Job> Jobs { get; } = [];

        public async Task WriteAsync(BulkWriter w, Dictionary<string, long> rows, CancellationToken ct)
        {
            // Parents first: PostgreSQL checks foreign keys row by row during COPY.
            await Write(Customers);
            await Write(Orders);
            await Write(Links);
            await Write(Events);
            await Write(Attempts);
            await Write(Payments);
            await Write(Conversations);
            await Write(Messages);
            await Write(Bookings);
            await Write(Jobs);
            await w.FlushAsync(ct);

            async Task Write<T>(List<T> list) where T : class
            {
                await w.WriteAsync(list, ct);
                rows[typeof(T).Name] = rows.GetValueOrDefault(typeof(T).Name) + list.Count;
                list.Clear();
            }
        }
    }

    private static async Task FillMerchantAsync(BulkWriter writer, MerchantContext m, int links, DateTimeOffset start, DateTimeOffset end,
        GenerateDataRequest r, Random rnd, Dictionary<string, long> rows, CancellationToken ct)
    {
        var clock = new SettableClock(start);
        var batch = new Batch();
        var customers = new List<Customer>();
        var customerCount = Math.Max(1, links / 3);
        for (var i = 0; i < customerCount; i++)
        {
            var phone = "+79" + rnd.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var c = Customer.Create(m.Id, FirstNames[rnd.Next(FirstNames.Length)], phone, rnd.NextDouble() < 0.3 ? $"client{i}@example.ru" : null, clock);
            customers.Add(c);
            batch.Customers.Add(c);
        }
        var span = (end - start).Ticks;
        var conversationSeq = 0;
        for (var k = 0; k < links; k++)
        {
            // Times increase with k, so ids (time-ordered) follow creation as they do in production.
            var t = start.AddTicks((long)((k + rnd.NextDouble()) / links * span));
            clock.Now = t;
            var customer = customers[rnd.Next(customers.Count)];
            var service = DemoSeeder.SalonCatalog[rnd.Next(DemoSeeder.SalonCatalog.Length)];
            var order = Order.Create(m.Id, rnd.NextDouble() < 0.4 ? $"ORD-{k + 1:D7}" : null, customer.Id, clock);
            var amount = new Money(service.PriceMinor, service.Currency);
            var link = PaymentLink.Create(Ids.New("lnk", clock), Ids.NewCode(), m.Id, order.Id, order.ExternalId, customer.Id, m.AccountId, amount,
                service.Name, [new LinkItem { Position = 0, Name = service.Name, Quantity = 1, AmountMinor = amount.Minor, ServiceId = service.Id }],
                null, t, t.AddDays(3));
            batch.Orders.Add(order);
            batch.Links.Add(link);
            batch.Events.Add(LinkEvent.For(link, LinkEventTypes.Created, t));

            var inChat = rnd.NextDouble() < r.ConversationShare;
            var paid = rnd.NextDouble() < r.PaidShare;
            var sentAt = t.AddSeconds(rnd.Next(1, 1800));
            var sent = inChat || paid || rnd.NextDouble() < 0.6;
            var channel = inChat ? "webchat" : SentChannels[rnd.Next(SentChannels.Length)];
            if (sent) batch.Events.Add(LinkEvent.For(link, LinkEventTypes.Sent, sentAt, $$"""{"channel":"{{channel}}"}"""));
            var openedAt = sentAt.AddSeconds(rnd.Next(10, 7200));
            var opened = paid || (sent && rnd.NextDouble() < 0.5);
            if (opened && openedAt < end)
            {
                Set(link, nameof(PaymentLink.OpenedAt), openedAt);
                batch.Events.Add(LinkEvent.For(link, LinkEventTypes.Opened, openedAt));
            }
            var paidAt = openedAt.AddSeconds(rnd.Next(20, 600));
            if (paid && paidAt < end)
            {
                var method = rnd.NextDouble() < 0.25 ? PayMethod.Sbp : PayMethod.Card;
                clock.Now = paidAt.AddSeconds(-15);
                batch.Events.Add(LinkEvent.For(link, LinkEventTypes.CheckoutStarted, clock.Now));
                var attempt = PaymentAttempt.Start(m.Id, link.Id, m.AccountId, m.Provider, amount, clock, method);
                var external = $"gen-{attempt.Id}";
                attempt.CheckoutCreated(external, $"https://sandbox.invalid/checkout/{attempt.Id}");
                attempt.Succeed(external, paidAt);
                clock.Now = paidAt;
                batch.Attempts.Add(attempt);
                batch.Payments.Add(Payment.Record(attempt, external, amount, paidAt, clock, method: method));
                link.MarkPaid(paidAt);
                batch.Events.Add(LinkEvent.For(link, LinkEventTypes.Paid, paidAt, $$"""{"method":"{{(method == PayMethod.Sbp ? "sbp" : "card")}}"}"""));
            }
            else if (link.ExpiresAt < end)
            {
                // What links.expire writes for an open link past its expiry.
                Set(link, nameof(PaymentLink.Status), LinkStatus.Expired);
                Set(link, nameof(PaymentLink.ExpiredAt), link.ExpiresAt);
                batch.Events.Add(LinkEvent.For(link, LinkEventTypes.Expired, link.ExpiresAt));
                paid = false;
            }
            else paid = false;

            if (inChat)
            {
                clock.Now = t.AddMinutes(-rnd.Next(2, 30));
                var conv = Conversation.Create(m.Id, m.ChatAccountId, ChannelAccounts.WebChat, $"gen-{++conversationSeq:D7}", customer.Id,
                    customer.Name, "ru", clock);
                batch.Conversations.Add(conv);
                Message(batch, conv, ChannelMessage.Incoming(conv, $"Здравствуйте! Хочу записаться: {service.Name.ToLowerInvariant()}", null, clock));
                clock.Now = clock.Now.AddSeconds(5);
                Message(batch, conv, Sent(ChannelMessage.Outgoing(conv, null, null, "ru", "Добрый день! Есть окно послезавтра в 12:00, записать?", null, null, "assistant", clock)));
                clock.Now = t;
                Message(batch, conv, Sent(ChannelMessage.Outgoing(conv, link.Id, "invoice", "ru", $"Счёт на {amount.Minor / 100} ₽: оплатите по ссылке", null, null, "assistant", clock)));
                if (paid)
                {
                    clock.Now = paidAt.AddSeconds(30);
                    Message(batch, conv, ChannelMessage.Incoming(conv, "Оплатила, спасибо!", null, clock));
                }

                clock.Now = t;
                var visit = t.AddDays(2).Date.AddHours(9 + rnd.Next(0, 10));
                var visitStart = new DateTimeOffset(visit, TimeSpan.Zero);
                var booking = Booking.Create(m.Id, customer.Id, service.Id, service.Name, Staff[rnd.Next(Staff.Length)], visitStart,
                    visitStart.AddMinutes(service.DurationMinutes ?? 60), amount, clock);
                booking.AttachLink(link.Id);
                if (paid) booking.Confirm(paidAt);
                if (visitStart.AddHours(2) < end)
                {
                    var roll = rnd.NextDouble();
                    if (!paid && roll < 0.5) booking.Cancel(link.ExpiresAt);
                    else if (roll < 0.92) booking.Complete(visitStart.AddHours(2));
                    else booking.MarkNoShow(visitStart.AddHours(2));
                }
                batch.Bookings.Add(booking);
            }

            for (var j = 0; j < r.JobsPerLink; j++)
            {
                var runAt = t.AddSeconds(rnd.Next(1, 3600));
                if (runAt >= end) continue;
                var job = Job.Create(JobTypes[rnd.Next(JobTypes.Length)], $$"""{"linkId":"{{link.Id}}"}""", runAt, runAt, 10);
                var dead = rnd.NextDouble() < 0.002;
                Set(job, nameof(Job.State), dead ? JobState.Dead : JobState.Succeeded);
                Set(job, nameof(Job.Attempts), dead ? 10 : 1);
                Set(job, nameof(Job.StartedAt), runAt);
                Set(job, nameof(Job.CompletedAt), runAt.AddMilliseconds(rnd.Next(5, 900)));
                if (dead) Set(job, nameof(Job.LastError), "HTTP 503 from the endpoint");
                batch.Jobs.Add(job);
            }

            if ((k + 1) % FlushLinks == 0) await batch.WriteAsync(writer, rows, ct);
        }
        await batch.WriteAsync(writer, rows, ct);
    }

    private static ChannelMessage Sent(ChannelMessage message)
    {
        message.MarkSent(null, message.CreatedAt.AddMilliseconds(300));
        message.MarkDelivered(message.CreatedAt.AddSeconds(2));
        return message;
    }

    private static void Message(Batch batch, Conversation conv, ChannelMessage message)
    {
        conv.Touch(message.CreatedAt);
        batch.Messages.Add(message);
    }

    private static readonly Dictionary<(Type, string), PropertyInfo> Properties = [];

    /// <summary>Sets a state a status machine reaches through a conditional SQL update in production (expiry, job outcome,
    /// first open), which has no entity method.</summary>
    private static void Set(object entity, string property, object? value)
    {
        var key = (entity.GetType(), property);
        if (!Properties.TryGetValue(key, out var p))
            Properties[key] = p = entity.GetType().GetProperty(property) ?? throw new InvalidOperationException($"{key} not found.");
        p.SetValue(entity, value);
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
