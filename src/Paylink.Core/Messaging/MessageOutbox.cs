using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Providers;

namespace Paylink.Core.Messaging;

/// <summary>
/// Writes outgoing messages: the message row (queued) and its <c>message.send</c> job in the caller's
/// SaveChanges, so a message is either queued and sent eventually, or not written at all. Also finds or
/// opens the conversation a message belongs to.
/// </summary>
public sealed class MessageOutbox(IJobQueue jobs, TimeProvider clock)
{
    public const string Author = "system";

    public ChannelMessage Queue(AppDbContext db, Conversation c, string text, string? linkId = null, string? template = null,
        IReadOnlyList<MessageButton>? buttons = null, string author = Author, string? subject = null)
    {
        var json = buttons is { Count: > 0 } ? JsonSerializer.Serialize(buttons.Select(b => new { text = b.Text, url = b.Url })) : null;
        var m = ChannelMessage.Outgoing(c, linkId, template, c.Language, text, subject, json, author, clock);
        db.ChannelMessages.Add(m);
        c.Touch(m.CreatedAt);
        jobs.Enqueue(db, SendChannelMessage.JobType, new SendChannelMessage.Payload(m.Id), dedupeKey: m.Id);
        return m;
    }

    /// <summary>The conversation of this account and address, created when new (not saved).</summary>
    public async Task<Conversation> ConversationAsync(AppDbContext db, ChannelAccount account, string address, string? customerId,
        string? displayName, string? language, CancellationToken ct)
    {
        var c = db.Conversations.Local.FirstOrDefault(x => x.AccountId == account.Id && x.Address == address)
            ?? await db.Conversations.IgnoreQueryFilters().FirstOrDefaultAsync(x => x.AccountId == account.Id && x.Address == address, ct);
        if (c is null)
        {
            c = Conversation.Create(account.MerchantId, account.Id, account.Provider, address, customerId, displayName, language, clock);
            db.Conversations.Add(c);
        }
        else
        {
            c.LinkCustomer(customerId);
            c.Named(displayName);
        }
        return c;
    }

    public static IReadOnlyList<MessageButton>? ReadButtons(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<ButtonJson>>(json)?.Select(b => new MessageButton(b.text, b.url)).ToList();

#pragma warning disable IDE1006, CA1812
    private sealed record ButtonJson(string text, string url);
#pragma warning restore IDE1006, CA1812
}
