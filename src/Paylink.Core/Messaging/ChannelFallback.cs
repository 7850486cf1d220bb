using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Assistance;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Messaging;

/// <summary>
/// A merchant's channel fallback order, e.g. <c>["telegram","max","vk","exolve","email"]</c>: where a link message
/// goes next when its channel could not deliver it. <paramref name="DeliveryTimeoutMinutes"/>: for channels that
/// report delivery, a message still not delivered this long after sending also falls back (null: only errors do).
/// An empty order (the default) turns fallback off.
/// </summary>
public sealed record ChannelFallbackPolicy(IReadOnlyList<string> Order, int? DeliveryTimeoutMinutes)
{
    public const string Kind = "channel.fallback";
    public const int MaxChannels = 8;
    public static readonly ChannelFallbackPolicy Off = new([], null);

    /// <summary>Validates an order against the installed channels (the registry); errors name the field.</summary>
    public static void ValidateOrder(IReadOnlyList<string>? order, string field, IEnumerable<string> known, ValidationErrors e)
    {
        var ids = known.ToHashSet(StringComparer.Ordinal);
        if (order is null) { e.Add(field, $"{field} is required: provider ids in the order to try, e.g. [\"telegram\",\"max\",\"vk\",\"exolve\",\"email\"]."); return; }
        if (order.Count > MaxChannels) e.Add(field, $"{field} lists at most {MaxChannels} channels.");
        for (var i = 0; i < order.Count; i++)
        {
            if (!ids.Contains(order[i] ?? "")) e.Add($"{field}[{i}]", $"Unknown channel '{order[i]}'. Use one of: {string.Join(", ", ids.Order(StringComparer.Ordinal))}.");
            else if (order.Take(i).Contains(order[i])) e.Add($"{field}[{i}]", $"'{order[i]}' is listed twice.");
        }
    }
}

/// <summary>Reads and saves <see cref="ChannelFallbackPolicy"/> (a merchant setting) and a client's own order.</summary>
public sealed class ChannelFallbackPolicies(AppDbContext db, ProviderRegistry<IMessageChannel> channels, TimeProvider clock)
{
    public async Task<ChannelFallbackPolicy> GetAsync(string merchantId, CancellationToken ct)
    {
        var row = await db.MerchantSettings.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.MerchantId == merchantId && s.Kind == ChannelFallbackPolicy.Kind, ct);
        return row is null ? ChannelFallbackPolicy.Off : JsonSerializer.Deserialize<ChannelFallbackPolicy>(row.Json, PaylinkJson.Output) ?? ChannelFallbackPolicy.Off;
    }

    public async Task<Result<ChannelFallbackPolicy>> SaveAsync(string merchantId, ChannelFallbackPolicy p, CancellationToken ct)
    {
        var e = new ValidationErrors();
        ChannelFallbackPolicy.ValidateOrder(p.Order, "order", channels.Ids, e);
        if (p.DeliveryTimeoutMinutes is { } t && t is < 1 or > 10080) e.Add("deliveryTimeoutMinutes", "deliveryTimeoutMinutes must be 1–10080 (a week), or null.");
        if (e.Any) return e.ToError();
        await MerchantSetting.PutAsync(db, merchantId, ChannelFallbackPolicy.Kind, JsonSerializer.Serialize(p, PaylinkJson.Output), clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        return p;
    }

    /// <summary>Sets (or with an empty list clears) a client's own order, which replaces the merchant's for them.</summary>
    public async Task<Result<Customer>> SetClientOrderAsync(string customerId, IReadOnlyList<string>? order, CancellationToken ct)
    {
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null) return Error.NotFound($"Contact '{customerId}'");
        var e = new ValidationErrors();
        ChannelFallbackPolicy.ValidateOrder(order, "order", channels.Ids, e);
        if (e.Any) return e.ToError();
        customer.SetChannelOrder(order);
        await db.SaveChangesAsync(ct);
        return customer;
    }

    public static IReadOnlyList<string> ClientOrder(Customer c) => c.ChannelOrder?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
}

/// <summary>
/// Where a client can be reached on a channel: an existing conversation of theirs on the merchant's first enabled
/// account of that provider, or a new one by the contact detail the channel writes to (its
/// <see cref="ChannelTraits.ReachesBy"/>: phone, e-mail). Null when the channel cannot reach them or they opted out.
/// </summary>
public sealed class ClientReach(AppDbContext db, MessageOutbox outbox, ProviderRegistry<IMessageChannel> channels)
{
    public async Task<Conversation?> ConversationAsync(string merchantId, string provider, string customerId, string? language, CancellationToken ct)
    {
        var account = await db.ChannelAccounts.IgnoreQueryFilters()
            .Where(a => a.MerchantId == merchantId && a.Provider == provider && a.DeletedAt == null && a.Enabled)
            .OrderBy(a => a.CreatedAt).FirstOrDefaultAsync(ct);
        if (account is null || !channels.TryGet(provider, out var channel)) return null;
        var existing = await db.Conversations.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.AccountId == account.Id && c.CustomerId == customerId, ct);
        if (existing is not null) return existing.OptedOut ? null : existing;
        var customer = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        var address = channel.Traits.ReachesBy switch
        {
            ContactKind.Phone => customer?.Phone,
            ContactKind.Email => customer?.Email,
            _ => null,
        };
        if (address is null || !channel.NormalizeRecipient(address).IsSuccess) return null;
        var c = await outbox.ConversationAsync(db, account, channel.NormalizeRecipient(address).Value, customerId, customer?.Name, language, ct);
        return c.OptedOut ? null : c;
    }
}

/// <summary>
/// Fallback of link messages (invoices, reminders) along the client's order (their own, else the merchant's):
/// when a message fails (or, on channels that report delivery, is not delivered in time), the same template is
/// queued on the next channel of the order after the one that failed that reaches the client and was not tried
/// for this step yet. One step moves to one channel at a time: the next message is written only once the previous
/// one is final, and at most one per message (unique <see cref="ChannelMessage.FallbackFromId"/>).
/// </summary>
public sealed class ChannelFallback(AppDbContext db, ChannelFallbackPolicies policies, ClientReach reach, SendLinkMessage links,
    MerchantCache merchants, IJobQueue jobs, TimeProvider clock)
{
    public const string DeliveryCheckJob = "message.delivery_check";
    public static readonly JobRetryPolicy Policy = new(5, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

    public sealed record Payload(string MessageId);

    /// <summary>Queues the next channel's message for <paramref name="previous"/> (joins the caller's SaveChanges), or null.</summary>
    public async Task<ChannelMessage?> QueueNextAsync(ChannelMessage previous, CancellationToken ct)
    {
        if (previous.Direction != MessageDirections.Outbound || previous.LinkId is null) return null;
        // A счёт sent as a document goes where the owner chose; it has no link template to re-render on another channel.
        if (previous.Template == Documents.SendInvoice.Template) return null;
        if (await db.ChannelMessages.IgnoreQueryFilters().AnyAsync(m => m.FallbackFromId == previous.Id, ct)) return null;
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == previous.LinkId, ct);
        var now = clock.GetUtcNow();
        if (link is null) return null;
        var template = previous.Template ?? TemplateEvents.Invoice;
        if ((template is TemplateEvents.Invoice or TemplateEvents.Reminder or TemplateEvents.PrepaymentOffer) && link.StatusAt(now) != LinkStatus.Open) return null;
        var conversation = await db.Conversations.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == previous.ConversationId, ct);
        var customerId = conversation?.CustomerId ?? link.CustomerId;
        if (customerId is null) return null;
        var customer = await db.Customers.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null) return null;
        var order = ChannelFallbackPolicies.ClientOrder(customer);
        if (order.Count == 0) order = (await policies.GetAsync(previous.MerchantId, ct)).Order;
        if (order.Count == 0) return null;

        var tried = await TriedChannelsAsync(previous, ct);
        var at = order.ToList().IndexOf(previous.Channel);
        var merchant = await merchants.GetAsync(previous.MerchantId, ct);
        if (merchant is null) return null;
        foreach (var provider in order.Skip(at + 1).Where(p => !tried.Contains(p)))
        {
            var target = await reach.ConversationAsync(previous.MerchantId, provider, customerId, conversation?.Language ?? previous.Language, ct);
            if (target is null) continue;
            var next = await links.QueueAsync(target, link, merchant, customer.Name, template, ct);
            next.FallsBackFrom(previous);
            return next;
        }
        return null;
    }

    /// <summary>Plans the delivery check of a sent message when its channel reports delivery and the merchant set a timeout.</summary>
    public async Task PlanDeliveryCheckAsync(ChannelMessage sent, IMessageChannel channel, CancellationToken ct)
    {
        if (!channel.Traits.ReportsDelivery || sent.LinkId is null) return;
        var policy = await policies.GetAsync(sent.MerchantId, ct);
        if (policy.DeliveryTimeoutMinutes is not { } minutes || policy.Order.Count == 0) return;
        jobs.Enqueue(db, DeliveryCheckJob, new Payload(sent.Id), clock.GetUtcNow().AddMinutes(minutes), dedupeKey: sent.Id);
    }

    private async Task<HashSet<string>> TriedChannelsAsync(ChannelMessage m, CancellationToken ct)
    {
        var tried = new HashSet<string>(StringComparer.Ordinal) { m.Channel };
        var from = m.FallbackFromId;
        for (var i = 0; from is not null && i < ChannelFallbackPolicy.MaxChannels + 2; i++)
        {
            var prev = await db.ChannelMessages.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == from, ct);
            if (prev is null) break;
            tried.Add(prev.Channel);
            from = prev.FallbackFromId;
        }
        return tried;
    }
}

/// <summary>The <c>message.delivery_check</c> job: a sent message still not delivered falls back to the next channel.</summary>
public sealed class CheckMessageDelivery(AppDbContext db, ChannelFallback fallback) : IJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var id = job.Read<ChannelFallback.Payload>().MessageId;
        var message = await db.ChannelMessages.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null || message.Status != MessageStatuses.Sent) return JobResult.Done;   // delivered, or never sent
        if (await fallback.QueueNextAsync(message, ct) is not null) await db.SaveChangesAsync(ct);
        return JobResult.Done;
    }
}

/// <summary>
/// Delivery reports of channels that <see cref="ChannelTraits.ReportsDelivery"/>: a provider's webhook or status
/// poll names its message id and the message goes sent → delivered. Only a status change: a report arriving after
/// the delivery check already moved the step to the next channel queues nothing (the check alone falls back).
/// </summary>
public sealed class MessageDeliveryReports(AppDbContext db, TimeProvider clock)
{
    /// <summary>Marks the account's message with this provider id delivered; false when unknown or not <c>sent</c>.</summary>
    public async Task<bool> DeliveredAsync(string accountId, string providerMessageId, CancellationToken ct)
    {
        var message = await db.ChannelMessages.IgnoreQueryFilters()
            .FirstOrDefaultAsync(m => m.AccountId == accountId && m.ProviderMessageId == providerMessageId && m.Direction == MessageDirections.Outbound, ct);
        if (message is null || !message.MarkDelivered(clock.GetUtcNow())) return false;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
