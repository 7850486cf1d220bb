using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Paylink.Core.Data;

/// <summary>
/// Database telemetry for both providers (there is no EF Core instrumentation package in our feed): one
/// client span per command on activity source <c>Paylink.Db</c> and the histogram
/// <c>paylink.db.command.duration</c>. Spans carry the command kind, never parameter values.
/// </summary>
public sealed class DbTelemetryInterceptor : DbCommandInterceptor, IDisposable
{
    public const string Name = "Paylink.Db";
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly Histogram<double> _duration;

    public DbTelemetryInterceptor() =>
        _duration = _meter.CreateHistogram<double>("paylink.db.command.duration", "s", "Database command duration.");

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Stop(eventData, null);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(eventData, null);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(eventData, null);
        return result;
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Stop(eventData, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Exception);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(eventData, null);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return Task.CompletedTask;
    }

    private static void Start(DbCommand command)
    {
        var activity = Source.StartActivity("db " + Verb(command.CommandText), ActivityKind.Client);
        activity?.SetTag("db.system", command.Connection is Microsoft.Data.Sqlite.SqliteConnection ? "sqlite" : "postgresql");
    }

    private void Stop(CommandEndEventData eventData, Exception? error)
    {
        // Not Database.ProviderName: it reads the provider's assembly name by reflection on every call.
        var system = eventData.Context is AppDbContext { IsSqlite: false } ? "postgresql" : "sqlite";
        _duration.Record(eventData.Duration.TotalSeconds, new TagList { { "db.system", system }, { "outcome", error is null ? "ok" : "error" } });
        var activity = Activity.Current;
        if (activity?.Source != Source) return;
        if (error is not null) activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity.Stop();
    }

    private static readonly string[] Verbs = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "PRAGMA", "CREATE", "ALTER", "DROP"];

    private static string Verb(string sql)
    {
        var s = sql.TrimStart();
        return Verbs.FirstOrDefault(v => s.StartsWith(v, StringComparison.OrdinalIgnoreCase)) ?? "COMMAND";
    }

    public void Dispose() => _meter.Dispose();
}
