using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Messaging;

namespace Paylink.Core.Assistance;

/// <summary>A manager's control over the assistant in one conversation, and the decision log.</summary>
public sealed class AssistantConversations(AppDbContext db)
{
    public const int MaxPage = 200;

    /// <summary>
    /// active=false: a person takes over, the assistant stays quiet in this conversation. active=true: hands the
    /// conversation back; the assistant starts from a fresh state with the client's next message.
    /// </summary>
    public async Task<Result<Conversation>> SetActiveAsync(string conversationId, bool? active, CancellationToken ct)
    {
        if (active is null) return Error.Validation("active", "active is required: true hands the conversation to the assistant, false to a person.");
        var c = await db.Conversations.FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null) return Error.NotFound($"Conversation '{conversationId}'");
        c.SetAssistantPaused(!active.Value);
        if (active.Value) c.MarkReplied();
        await db.SaveChangesAsync(ct);
        return c;
    }

    /// <summary>Newest first; optionally one conversation's.</summary>
    public async Task<Result<IReadOnlyList<AssistantDecisionView>>> DecisionsAsync(string? conversationId, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxPage) return Error.Validation("limit", $"limit must be 1–{MaxPage}.");
        var q = db.AssistantDecisions.AsNoTracking();
        if (conversationId is not null)
        {
            if (!await db.Conversations.AnyAsync(c => c.Id == conversationId, ct)) return Error.NotFound($"Conversation '{conversationId}'");
            q = q.Where(d => d.ConversationId == conversationId);
        }
        var rows = await q.OrderByDescending(d => d.Id).Take(limit ?? 50).ToListAsync(ct);
        return rows.Select(AssistantDecisionView.From).ToList();
    }
}
