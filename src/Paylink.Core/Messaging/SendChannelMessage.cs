using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;

namespace Paylink.Core.Messaging;

/// <summary>
/// The <c>message.send</c> job: hands one queued message to its channel. Sends only while the message is
/// queued (a retried or duplicated job finds it sent and stops), passes the message id to the provider as
/// its idempotency key, retries transient failures (honouring the provider's retry-after) and fails
/// permanent ones at once. A link's first successful message adds its "sent" event. A failed link message
/// falls back to the client's next channel (<see cref="ChannelFallback"/>) in the same SaveChanges.
/// </summary>
public sealed class SendChannelMessage(AppDbContext db, ChannelAccounts accounts, ChannelFallback fallback, Common.PublicUrls urls, TimeProvider clock,
    ILogger<SendChannelMessage> log) : IJobHandler
{
    public const string JobType = "message.send";
    /// <summary>8 attempts, 5 s doubling up to 30 min (about 1 h in all).</summary>
    public static readonly JobRetryPolicy Policy = new(8, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(30));

    public sealed record Payload(string MessageId);

    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        var id = job.Read<Payload>().MessageId;
        var message = await db.ChannelMessages.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null) return JobResult.Fail($"Message {id} does not exist.");
        if (message.Status != MessageStatuses.Queued) return JobResult.Done;   // already sent or failed: never twice

        var account = await db.ChannelAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == message.AccountId, ct);
        if (account is null || !account.CanSend)
            return await FailAsync(message, "The channel account is disabled or deleted.", ct);
        var opened = accounts.Open(account);
        if (!opened.IsSuccess) return JobResult.Retry(opened.Error!.Message);
        var (channel, context) = opened.Value;

        var outgoing = new OutgoingChannelMessage(message.Id, message.To, message.Text, message.Subject,
            Buttons: MessageOutbox.ReadButtons(message.ButtonsJson), Attachments: await AttachmentsAsync(channel, message, ct));
        var invoice = await NativeInvoiceAsync(channel, context, message, ct);
        ChannelSendResult result;
        try
        {
            result = invoice is not null
                ? await ((IChannelNativeInvoice)channel).SendInvoiceAsync(context, outgoing, invoice, ct)
                : await channel.SendAsync(context, outgoing, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            result = ChannelSendResult.Transient($"{channel.Id} adapter error: {ex.GetType().Name}");
            log.LogWarning(ex, "Channel {Channel} threw sending message {MessageId}", channel.Id, message.Id);
        }

        var now = clock.GetUtcNow();
        switch (result.Status)
        {
            case ChannelSendStatus.Sent:
                message.MarkSent(result.ProviderMessageId, now);
                await AddSentEventAsync(message, now, ct);
                await fallback.PlanDeliveryCheckAsync(message, channel, ct);
                await db.SaveChangesAsync(ct);
                log.LogInformation("Message {MessageId} sent by {Channel} (account {AccountId})", message.Id, channel.Id, account.Id);
                return JobResult.Done;
            case ChannelSendStatus.Permanent:
                log.LogWarning("Message {MessageId} refused by {Channel}: {Error}", message.Id, channel.Id, result.Error);
                return await FailAsync(message, result.Error ?? "Refused by the channel.", ct);
            default:
                if (job.IsLastAttempt) return await FailAsync(message, result.Error ?? "The channel kept failing.", ct);
                message.AttemptFailed(result.Error ?? "Transient channel failure.");
                await db.SaveChangesAsync(ct);
                log.LogInformation("Message {MessageId} will be retried ({Channel}): {Error}", message.Id, channel.Id, result.Error);
                return JobResult.Retry(result.Error ?? "transient", result.RetryAfter);
        }
    }

    private async Task<JobResult> FailAsync(ChannelMessage message, string error, CancellationToken ct)
    {
        message.MarkFailed(error, clock.GetUtcNow());
        var next = await fallback.QueueNextAsync(message, ct);
        await db.SaveChangesAsync(CancellationToken.None);
        if (next is not null) log.LogInformation("Message {MessageId} falls back from {From} to {To} as {Next}", message.Id, message.Channel, next.Channel, next.Id);
        return JobResult.Fail(error);
    }

    /// <summary>A native invoice replaces the text of an invoice message when the account is set up for it.</summary>
    private async Task<ChannelInvoice?> NativeInvoiceAsync(IMessageChannel channel, ChannelContext context, ChannelMessage message, CancellationToken ct)
    {
        if (message.Template != TemplateEvents.Invoice || message.LinkId is null) return null;
        if (channel is not IChannelNativeInvoice native || !native.SupportsInvoices(context)) return null;
        var link = await db.PaymentLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Id == message.LinkId, ct);
        if (link is null) return null;
        return new ChannelInvoice(link.Id, link.Description, message.Text, link.Currency, link.AmountMinor);
    }

    /// <summary>
    /// A счёт sent as a document carries its PDF on channels that take files (e-mail), rendered now from the stored счёт
    /// (the same bytes as GET /invoices/{id}/pdf), so the outbox never holds file contents.
    /// </summary>
    private async Task<IReadOnlyList<MessageAttachment>?> AttachmentsAsync(IMessageChannel channel, ChannelMessage message, CancellationToken ct)
    {
        if (message.Template != Documents.SendInvoice.Template || message.LinkId is null || !channel.Traits.SupportsAttachments) return null;
        var invoice = await db.Invoices.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.LinkId == message.LinkId, ct);
        if (invoice is null) return null;
        return [new MessageAttachment($"schet-{invoice.Year}-{invoice.NumberText}.pdf", "application/pdf",
            Documents.InvoicePdf.Render(invoice, urls.PayPage(invoice.LinkCode)))];
    }

    private async Task AddSentEventAsync(ChannelMessage message, DateTimeOffset now, CancellationToken ct)
    {
        if (message.LinkId is null) return;
        var link = await db.PaymentLinks.IgnoreQueryFilters().FirstOrDefaultAsync(l => l.Id == message.LinkId, ct);
        if (link is null) return;
        db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Sent, now,
            JsonSerializer.Serialize(new { channel = message.Channel, messageId = message.Id, template = message.Template })));
    }
}
