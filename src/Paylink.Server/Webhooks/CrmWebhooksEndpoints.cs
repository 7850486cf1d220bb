using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Data;
using Paylink.Core.Jobs;
using Paylink.Core.Webhooks;
using Paylink.Server.Api;

namespace Paylink.Server.Webhooks;

/// <summary>
/// POST /webhooks/bitrix24/{accountId}: Bitrix24's outgoing webhook (form-encoded, carries only the
/// changed deal's id). The connector checks auth[application_token] in constant time (401 otherwise);
/// a repeated delivery is dropped by the unique (provider, event id) of the stored event; the work
/// (read the deal, maybe issue a link) is a <c>crm.inbound</c> job, so the answer is immediate.
/// </summary>
public static class CrmWebhooksEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    private static readonly string[] DealEvents = ["ONCRMDEALUPDATE", "ONCRMDEALADD", "ONCRMLEADUPDATE", "ONCRMLEADADD"];

    public static void MapCrmWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/bitrix24/{accountId}", async (string accountId, HttpContext http, AppDbContext db, CrmAccounts accounts,
            IJobQueue jobs, TimeProvider clock, CancellationToken ct) =>
        {
            if (http.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
                return Problems.BadRequest(Error.Validation("body", "Content-Type must be application/x-www-form-urlencoded."));
            if (http.Request.ContentLength > MaxBodyBytes)
                return Problems.From(Error.Validation("body", $"Event body must be at most {MaxBodyBytes} bytes."), StatusCodes.Status413PayloadTooLarge);
            // Read the form first: a malformed body is a 400 whatever the account. The limit holds on the
            // stream itself: a chunked body has no Content-Length to check.
            var body = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                    return Problems.From(Error.Validation("body", $"Event body must be at most {MaxBodyBytes} bytes."), StatusCodes.Status413PayloadTooLarge);
                body.Write(chunk, 0, read);
            }
            body.Position = 0;
            var form = await new Microsoft.AspNetCore.WebUtilities.FormReader(body).ReadFormAsync(ct);
            var account = await db.CrmAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.Id == accountId && a.Provider == "bitrix24" && a.DeletedAt == null, ct);
            if (account is null) return Problems.From(Error.NotFound($"CRM account '{accountId}'"));
            var opened = accounts.Open(account);
            if (!opened.IsSuccess) return Problems.From(opened.Error!);
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            var verified = opened.Value.Connector.VerifyEvent(opened.Value.Context, fields);
            if (!verified.IsSuccess)
                return verified.Error!.Kind == ErrorKind.Validation ? Problems.BadRequest(verified.Error) : Problems.From(verified.Error);
            var e = verified.Value;
            var relevant = DealEvents.Contains(e.Type);
            db.InboundEvents.Add(InboundEvent.Create("bitrix24", account.Id, account.MerchantId, $"{account.Id}:{e.EventKey}",
                $"event={e.Type}&data[FIELDS][ID]={e.RemoteDealId}", clock.GetUtcNow(), relevant ? "queued" : "ignored"));
            if (relevant) jobs.Enqueue(db, IssueLinkFromCrm.JobType, new IssueLinkFromCrm.Payload(account.Id, e.RemoteDealId));
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex))
            {
                return Results.Text("duplicate", "text/plain; charset=utf-8");
            }
            return Results.Text("ok", "text/plain; charset=utf-8");
        }).DisableAntiforgery().ExcludeFromDescription();
    }
}
