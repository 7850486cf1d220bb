using System.Text;
using Paylink.Core.Common;
using Paylink.Core.PersonalData;

namespace Paylink.Server.Api;

/// <summary>/api/v1 personal data (152-FZ, docs/personal-data.md): client export and erasure, destruction act,
/// consent document and records, retention settings, audit log, outbound data flows.</summary>
public static class PersonalDataApi
{
    public sealed record ConsentDocumentBody(string? Text);
    public sealed record ConsentBody(string? Channel, int? Version);

    public static void MapPersonalDataApi(this RouteGroupBuilder api)
    {
        var c = api.MapGroup("/customers/{id}").WithTags("PersonalData");
        c.MapGet("/personal-data", async (string id, string? format, string? lang, MerchantScope scope, ClientPersonalData data, CancellationToken ct) =>
        {
            if (format is not (null or "json" or "html")) return Problems.From(Error.Validation("format", "format must be json or html."));
            var export = await data.ExportAsync(scope.MerchantId!, id, scope.Actor!, PersonalDataActions.Export, ct);
            if (!export.IsSuccess) return Problems.From(export.Error!);
            return format == "html"
                ? Results.Content(ClientPersonalData.ToHtml(export.Value, lang == "en" ? "en" : "ru"), "text/html; charset=utf-8", Encoding.UTF8)
                : Results.Json(export.Value, PaylinkJson.Output);
        }).WithName("ExportClientData").WithSummary("Everything stored about the client (JSON, or format=html for the client); writes an audit row.");
        c.MapPost("/erase", async (string id, MerchantScope scope, ClientPersonalData data, CancellationToken ct) =>
            (await data.EraseAsync(scope.MerchantId!, id, scope.Actor!, PersonalDataActions.Erase, ct)).ToHttp(e => Results.Json(e, PaylinkJson.Output)))
            .WithName("EraseClientData").WithSummary("Anonymise the client (name, phone, e-mail, chat texts, CRM notes); payments, receipts and invoices stay.");
        c.MapGet("/destruction-act", async (string id, MerchantScope scope, ClientPersonalData data, HttpContext http, CancellationToken ct) =>
        {
            var act = await data.DestructionActAsync(scope.MerchantId!, id, scope.Actor!, ct);
            if (!act.IsSuccess) return Problems.From(act.Error!);
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"destruction-act-{id}.html\"";
            return Results.Content(act.Value, "text/html; charset=utf-8", Encoding.UTF8);
        }).WithName("GetDestructionAct").WithSummary("Акт об уничтожении ПДн with the event log extract (409 not_erased before erasure).");
        c.MapPost("/consents", async (string id, HttpContext http, MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ConsentBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policy.RecordConsentAsync(scope.MerchantId!, id, null, null, body!.Channel ?? "api", body.Version,
                null, null, ct)).ToHttp(r => Results.Json(View(r), PaylinkJson.Output, statusCode: StatusCodes.Status201Created));
        }).WithName("RecordConsent").WithSummary("Record a consent the client gave outside Paylink (e.g. on paper), to the current or a given version.");

        var p = api.MapGroup("/personal-data").WithTags("PersonalData");
        p.MapGet("/consent-document", async (MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
        {
            var (version, text, at) = await policy.CurrentConsentAsync(scope.MerchantId!, ct);
            return Results.Json(new { version, text, createdAt = at, isDefault = version == 0 }, PaylinkJson.Output);
        }).WithName("GetConsentDocument");
        p.MapPut("/consent-document", async (HttpContext http, MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<ConsentDocumentBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policy.SaveConsentAsync(scope.MerchantId!, body!.Text, scope.Actor!, ct))
                .ToHttp(v => Results.Json(new { version = v, text = body.Text!.Trim(), isDefault = false }, PaylinkJson.Output));
        }).WithName("PutConsentDocument").WithSummary("Save a new version of the consent text; earlier versions stay for the consents that name them.");
        p.MapGet("/settings", async (MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
            Results.Json(await policy.GetSettingsAsync(scope.MerchantId!, ct), PaylinkJson.Output)).WithName("GetPersonalDataSettings");
        p.MapPut("/settings", async (HttpContext http, MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<PersonalDataSettings>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await policy.SaveSettingsAsync(scope.MerchantId!, body!, scope.Actor!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
        }).WithName("PutPersonalDataSettings").WithSummary("retentionDays (30–3650 or null): the daily pdn.retention job anonymises clients inactive that long.");
        p.MapGet("/audit", async (string? customer, int? limit, MerchantScope scope, ClientPersonalData data, CancellationToken ct) =>
            Results.Json(new { items = (await data.AuditAsync(scope.MerchantId!, customer, limit ?? 100, ct))
                .Select(e => new { e.Id, e.CustomerId, e.Action, e.Actor, e.Detail, e.At }) }, PaylinkJson.Output))
            .WithName("ListPersonalDataAudit").WithSummary("Who viewed, exported or erased client data, newest first.");
        p.MapGet("/flows", async (MerchantScope scope, PersonalDataPolicy policy, CancellationToken ct) =>
            Results.Json(new { items = await policy.FlowsAsync(scope.MerchantId!, ct) }, PaylinkJson.Output))
            .WithName("ListDataFlows").WithSummary("Every flow of personal data leaving the server, cross-border flag, and whether it is active for this merchant.");
    }

    private static object View(ConsentRecord r) =>
        new { r.Id, r.CustomerId, r.ConversationId, r.LinkId, r.Channel, documentVersion = r.DocumentVersion, r.At, r.WithdrawnAt };
}
