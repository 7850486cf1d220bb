using Microsoft.Extensions.Logging;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Providers;

namespace Paylink.Core.Crm;

/// <summary>
/// Writes a CRM account's log (what the merchant reads at /api/v1/crm-accounts/{id}/log) and the matching
/// server log line, and turns a connector failure into the job's answer: transient → retry (after the
/// CRM's hint when it gave one), permanent → the job fails and the account shows the error until a success.
/// Messages never contain the webhook URL or tokens (connectors keep them out of failures).
/// </summary>
public sealed partial class CrmLog(AppDbContext db, TimeProvider clock, ILogger<CrmLog> logger)
{
    public void Info(CrmAccount account, string operation, string message, string? dealId) =>
        db.CrmLogEntries.Add(CrmLogEntry.Create(account, "info", operation, message, dealId, clock.GetUtcNow()));

    public async Task<JobResult> FailAsync(CrmAccount account, CrmFailure failure, string operation, string? dealId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var message = $"{failure.Code}: {failure.Message}";
        db.CrmLogEntries.Add(CrmLogEntry.Create(account, failure.Transient ? "retry" : "error", operation, message, dealId, now));
        if (!failure.Transient) account.Failed($"{operation}: {message}", now);
        await db.SaveChangesAsync(ct);
        if (failure.Transient)
        {
            Transient(logger, account.Id, operation, failure.Code);
            return JobResult.Retry(message, failure.RetryAfter);
        }
        Permanent(logger, account.Id, operation, failure.Code, failure.Message);
        return JobResult.Fail(message);
    }

    [LoggerMessage(LogLevel.Warning, "CRM account {AccountId}: {Operation} failed transiently ({Code}); the job will retry")]
    private static partial void Transient(ILogger logger, string accountId, string operation, string code);

    [LoggerMessage(LogLevel.Error, "CRM account {AccountId}: {Operation} failed ({Code}: {Reason}); a person must act")]
    private static partial void Permanent(ILogger logger, string accountId, string operation, string code, string reason);
}
