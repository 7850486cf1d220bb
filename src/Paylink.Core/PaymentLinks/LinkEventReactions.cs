using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Paylink.Core.Data;

namespace Paylink.Core.PaymentLinks;

/// <summary>
/// Something that must happen because a link event was written: a merchant webhook, a CRM update, a
/// confirmation to the client, cancelled reminders. Reactions run inside the SaveChanges that adds the
/// <see cref="LinkEvent"/>, so what they add (rows, jobs via <c>IJobQueue.Enqueue</c>) commits or rolls
/// back together with the event. Do slow or external work in a job, never here.
/// </summary>
public interface ILinkEventReaction
{
    /// <summary>
    /// Called once per SaveChanges pass with the link events it adds (each event is seen once, even when a
    /// failed SaveChanges is retried on the same context). <paramref name="sync"/> is true when the caller
    /// used the synchronous SaveChanges: then query synchronously. Link events added by a reaction are
    /// offered to every reaction in a further pass.
    /// </summary>
    ValueTask ReactAsync(AppDbContext db, IReadOnlyList<LinkEvent> added, bool sync, CancellationToken ct);
}

/// <summary>Runs every registered <see cref="ILinkEventReaction"/> for the link events a SaveChanges adds.</summary>
public sealed class LinkEventsInterceptor(IEnumerable<ILinkEventReaction> reactions) : SaveChangesInterceptor
{
    // A SaveChanges that failed may be called again on the same context: react once per link event.
    private static readonly ConditionalWeakTable<LinkEvent, object> Seen = new();
    private const int MaxPasses = 4;
    private readonly ILinkEventReaction[] _reactions = reactions.ToArray();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db) RunAsync(db, sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db) await RunAsync(db, sync: false, cancellationToken);
        return result;
    }

    private async ValueTask RunAsync(AppDbContext db, bool sync, CancellationToken ct)
    {
        if (_reactions.Length == 0) return;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var added = db.ChangeTracker.Entries<LinkEvent>()
                .Where(e => e.State == EntityState.Added && !Seen.TryGetValue(e.Entity, out _))
                .Select(e => e.Entity).ToList();
            if (added.Count == 0) return;
            foreach (var e in added) Seen.AddOrUpdate(e, new object());
            foreach (var reaction in _reactions) await reaction.ReactAsync(db, added, sync, ct);
        }
    }
}

public static class LinkEventReactionRegistration
{
    /// <summary>Registers a reaction (a singleton: take scoped services from the <see cref="AppDbContext"/> passed in).</summary>
    public static IServiceCollection AddLinkEventReaction<T>(this IServiceCollection services) where T : class, ILinkEventReaction =>
        services.AddSingleton<ILinkEventReaction, T>();
}
