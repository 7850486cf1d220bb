using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Data;
using Paylink.Core.Orders;
using Paylink.Core.Payments;

namespace Paylink.Core.PaymentLinks;

/// <summary>
/// Group commit for standalone link creations (the API without an Idempotency-Key). Validated drafts queue
/// here; one writer takes whatever has queued, stages each on one context in one transaction (the same
/// <see cref="CreatePaymentLink.StageAsync"/> as the per-request path: account, order, customer),
/// writes the order, link and "created" event with prepared, model-driven INSERTs (<see cref="RowInserter"/>),
/// runs the link-event reactions once for the batch (webhook deliveries, CRM jobs, metrics: saved by EF in
/// the same transaction) and commits; then every caller gets its link. A creation the staging refuses
/// (no gateway account, order paid) gets its error and writes nothing. If the transaction fails, nothing of
/// the batch is kept and each creation is retried alone, so one bad creation cannot fail the others.
/// Why: one commit, one write-gate turn and one prepared statement per table for many links instead of a
/// SaveChanges each (docs/performance.md).
/// </summary>
public sealed class LinkCreationBatcher : IAsyncDisposable
{
    public const string Name = "Paylink.Links";
    private static readonly ActivitySource Source = new(Name);

    private sealed record Pending(LinkDraft Draft, ActivityContext Parent, TaskCompletionSource<Result<PaymentLink>> Done, CancellationToken Ct);

    private readonly IServiceScopeFactory _scopes;
    private readonly ILinkEventReaction[] _reactions;
    private readonly TimeProvider _clock;
    private readonly ILogger<LinkCreationBatcher> _log;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private readonly Meter _meter = new(Name);
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchDuration;

    public LinkCreationBatcher(IServiceScopeFactory scopes, IEnumerable<ILinkEventReaction> reactions, IOptions<LinkOptions> options, TimeProvider clock,
        ILogger<LinkCreationBatcher> log)
    {
        _scopes = scopes;
        _reactions = reactions.ToArray();
        _clock = clock;
        _log = log;
        _maxBatch = options.Value.GroupCommitMaxBatch;
        // One writer, on PostgreSQL too: creations of one process then see each other's customers and order numbers
        // (a batch stages in order, on one transaction). Four writers there gave ~15 % more creations a second but
        // duplicate customers for one phone number in concurrent batches.
        _writer = new Lazy<Task>(() => Task.Run(RunAsync), LazyThreadSafetyMode.ExecutionAndPublication);
        _batchSize = _meter.CreateHistogram<int>("paylink.links.group_commit.size", "{link}", "Link creations committed in one transaction.");
        _batchDuration = _meter.CreateHistogram<double>("paylink.links.group_commit.duration", "s", "Time to write and commit one group of link creations.");
    }

    /// <summary>Batches committed and links created since start (for tests and diagnostics).</summary>
    public long Batches => Interlocked.Read(ref _batches);
    public long Created => Interlocked.Read(ref _created);
    private long _batches, _created;

    internal Task<Result<PaymentLink>> CreateAsync(LinkDraft draft, CancellationToken ct)
    {
        var pending = new Pending(draft, Activity.Current?.Context ?? default, new(TaskCreationOptions.RunContinuationsAsynchronously), ct);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(LinkCreationBatcher), "The link writer has stopped.");
        _ = _writer.Value;
        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p))
            {
                // A caller that has gone (request aborted) before its turn: nothing written, nothing to answer.
                if (p.Ct.IsCancellationRequested) p.Done.TrySetCanceled(p.Ct);
                else batch.Add(p);
            }
            if (batch.Count > 0) await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await WriteAsync(batch);
            _batchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            Complete(batch, results);
            return;
        }
        catch (CommitOutcomeUnknown ex)
        {
            // The commit itself failed (e.g. the connection broke): it may have happened. Retrying could create every
            // link twice, so each caller gets the error, as a SaveChanges that failed there would give it.
            _log.LogError(ex.InnerException, "The commit of {Count} link creations failed; not retried", batch.Count);
            foreach (var p in batch) p.Done.TrySetException(ex.InnerException!);
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _log.LogWarning(ex, "A group commit of {Count} link creations failed before its commit; retrying each alone", batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }
        foreach (var p in batch)
        {
            try { Complete([p], await WriteAsync([p])); }
            catch (Exception ex) { p.Done.TrySetException(ex); }
        }
    }

    private void Complete(IReadOnlyList<Pending> batch, Result<PaymentLink>[] results)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _created, results.Count(r => r.IsSuccess));
        _batchSize.Record(batch.Count);
        for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
    }

    private async Task<Result<PaymentLink>[]> WriteAsync(IReadOnlyList<Pending> batch)
    {
        // One span for the transaction, linked to each creating request's trace; jobs the reactions queue carry it.
        using var activity = Source.StartActivity("links.group_commit", ActivityKind.Internal, parentContext: default,
            links: batch.Where(p => p.Parent != default).Select(p => new ActivityLink(p.Parent)));
        activity?.SetTag("paylink.links.count", batch.Count);
        var ct = CancellationToken.None;   // once started, a batch finishes: its callers are waiting for it
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var dbTx = tx.GetDbTransaction();
            var (orders, linkRows, eventRows) = (RowInserter.For<Order>(db), RowInserter.For<PaymentLink>(db), RowInserter.For<LinkEvent>(db));
            await using var orderInsert = await orders.PrepareAsync(connection, dbTx, ct);
            await using var linkInsert = await linkRows.PrepareAsync(connection, dbTx, ct);
            await using var eventInsert = await eventRows.PrepareAsync(connection, dbTx, ct);

            var accounts = new Dictionary<string, List<GatewayAccount>>();
            var results = new Result<PaymentLink>[batch.Count];
            var links = new List<PaymentLink>(batch.Count);
            var events = new List<LinkEvent>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var staged = await CreatePaymentLink.StageAsync(db, batch[i].Draft, accounts, _clock, ct);
                if (!staged.IsSuccess) { results[i] = staged.Error!; continue; }
                // A customer found and completed, or created: saved first, so the next creation finds it and the rows may refer to it.
                if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
                var (order, link, created) = staged.Value;
                if (order is not null) await orders.InsertAsync(orderInsert, order, ct);
                await linkRows.InsertAsync(linkInsert, link, ct);
                await eventRows.InsertAsync(eventInsert, created, ct);
                results[i] = link;
                links.Add(link);
                events.Add(created);
            }
            if (events.Count > 0)
            {
                // The reactions look links up in the change tracker first: there they are, as written (Unchanged).
                db.PaymentLinks.AttachRange(links);
                foreach (var reaction in _reactions) await reaction.ReactAsync(db, events, sync: false, ct);
                await db.SaveChangesAsync(ct);
            }
            try { await tx.CommitAsync(ct); }
            catch (Exception ex) { throw new CommitOutcomeUnknown(ex); }
            return results;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class CommitOutcomeUnknown(Exception inner) : Exception("The commit failed; it may or may not have happened.", inner);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer.IsValueCreated) await _writer.Value;
        _meter.Dispose();
    }
}
