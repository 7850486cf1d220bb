using Microsoft.Extensions.DependencyInjection;

namespace Paylink.Core.Jobs;

/// <summary>A job type: its handler, retry policy and (optional) own timeout.</summary>
public sealed record JobTypeRegistration(string Type, Type HandlerType, JobRetryPolicy Policy, TimeSpan? Timeout = null, TimeSpan? RecurEvery = null);

/// <summary>Job types keyed by name. Built from the registrations made with <see cref="JobServices"/>.</summary>
public sealed class JobRegistry
{
    private readonly Dictionary<string, JobTypeRegistration> _byType;

    public JobRegistry(IEnumerable<JobTypeRegistration> registrations)
    {
        _byType = new(StringComparer.Ordinal);
        foreach (var r in registrations)
            if (!_byType.TryAdd(r.Type, r)) throw new InvalidOperationException($"Job type '{r.Type}' is registered twice.");
    }

    public IEnumerable<JobTypeRegistration> All => _byType.Values;
    public IEnumerable<JobTypeRegistration> Periodic => _byType.Values.Where(r => r.RecurEvery is not null);

    public bool TryGet(string type, out JobTypeRegistration registration) => _byType.TryGetValue(type, out registration!);

    public JobRetryPolicy PolicyFor(string type) => _byType.TryGetValue(type, out var r) ? r.Policy : JobRetryPolicy.Default;
}

public static class JobServices
{
    /// <summary>Registers a handler for job <paramref name="type"/> (resolved per job from a new scope).</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string type,
        JobRetryPolicy? policy = null, TimeSpan? timeout = null) where THandler : class, IJobHandler
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new JobTypeRegistration(type, typeof(THandler), policy ?? JobRetryPolicy.Default, timeout));
        return services;
    }

    /// <summary>
    /// Runs <typeparamref name="TTask"/> every <paramref name="every"/>, on exactly one instance at a time:
    /// it is a recurring job (type <paramref name="name"/>) that reschedules itself, so it survives restarts
    /// and is claimed like any other job.
    /// </summary>
    public static IServiceCollection AddPeriodicTask<TTask>(this IServiceCollection services, string name, TimeSpan every)
        where TTask : class, IPeriodicTask
    {
        services.AddScoped<TTask>();
        services.AddScoped<PeriodicTaskHandler<TTask>>();
        // Periodic tasks are never dead-lettered: a failure retries with backoff up to the interval.
        services.AddSingleton(new JobTypeRegistration(name, typeof(PeriodicTaskHandler<TTask>),
            new JobRetryPolicy(int.MaxValue, TimeSpan.FromSeconds(5), every), null, every));
        return services;
    }
}

internal sealed class PeriodicTaskHandler<TTask>(TTask task) : IJobHandler where TTask : IPeriodicTask
{
    public async Task<JobResult> HandleAsync(JobContext job, CancellationToken ct)
    {
        await task.RunAsync(ct);
        return JobResult.Done;
    }
}
