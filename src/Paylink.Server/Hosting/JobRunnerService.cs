using Microsoft.Extensions.Options;
using Paylink.Core.Jobs;

namespace Paylink.Server.Hosting;

/// <summary>Hosts the durable <see cref="JobRunner"/> in the server when <c>Jobs:Enabled</c>.</summary>
public sealed class JobRunnerService(JobRunner runner, IOptions<JobsOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Enabled ? runner.RunAsync(stoppingToken) : Task.CompletedTask;
}
