using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Paylink.Core.Data;

namespace Paylink.Core.Jobs;

/// <summary>
/// Raises <see cref="JobSignal"/> once jobs added to a context are committed: right after SaveChanges
/// when no explicit transaction is open, otherwise when that transaction commits (an earlier wake-up
/// would find nothing, the rows being invisible until then).
/// </summary>
public sealed class JobSignalInterceptor(JobSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is AppDbContext db) db.JobsAwaitingCommit = false;
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private static void Mark(DbContext? context)
    {
        if (context is AppDbContext db && db.ChangeTracker.Entries<Job>().Any(e => e.State == EntityState.Added))
            db.JobsAwaitingCommit = true;
    }

    private void Saved(DbContext? context)
    {
        if (context is AppDbContext { JobsAwaitingCommit: true } db && db.Database.CurrentTransaction is null)
        {
            db.JobsAwaitingCommit = false;
            signal.Notify();
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is AppDbContext { JobsAwaitingCommit: true } db)
        {
            db.JobsAwaitingCommit = false;
            signal.Notify();
        }
    }
}
