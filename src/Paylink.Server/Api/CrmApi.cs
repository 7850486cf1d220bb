using Paylink.Core.Common;
using Paylink.Core.Crm;

namespace Paylink.Server.Api;

/// <summary>/api/v1/crm: the built-in CRM — contacts (search, details, merge), deals (list, details, stage, notes), tasks.</summary>
public static class CrmApi
{
    public sealed record MergeBody(string? Into);
    public sealed record StageBody(string? Stage);
    public sealed record NoteBody(string? Text);
    public sealed record TaskBody(string? Text, DateTimeOffset? DueAt = null, string? DealId = null);

    public static void MapCrmApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/crm").WithTags("CRM");

        g.MapGet("/contacts", async (string? q, CrmQueries crm, CancellationToken ct) =>
                Results.Json(new { items = await crm.ContactsAsync(q, ct) }, PaylinkJson.Output))
            .WithName("ListCrmContacts").WithSummary("Contacts (customers), newest first; q searches name, phone and e-mail.");

        g.MapGet("/contacts/{id}", async (string id, CrmQueries crm, CancellationToken ct) =>
                (await crm.ContactAsync(id, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output)))
            .Produces<ContactDetailsView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetCrmContact");

        g.MapPost("/contacts/{id}/merge", async (string id, HttpContext http, MergeContacts merge, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<MergeBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await merge.HandleAsync(id, body!.Into, ct)).ToHttp(c => Results.Json(ContactView.From(c), PaylinkJson.Output));
        }).Produces<ContactView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict)
          .WithName("MergeCrmContact").WithSummary("Merge this contact into {\"into\"}: links, bookings, deals and timeline move there.");

        g.MapGet("/deals", async (string? stage, string? kind, string? contactId, CrmQueries crm, CancellationToken ct) =>
                (await crm.DealsAsync(stage, kind, contactId, ct)).ToHttp(items => Results.Json(new { items }, PaylinkJson.Output)))
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ListCrmDeals")
            .WithSummary("Leads and deals, recently changed first; filter by stage, kind (lead|deal) or contactId.");

        g.MapGet("/deals/{id}", async (string id, CrmQueries crm, CancellationToken ct) =>
                (await crm.DealAsync(id, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output)))
            .Produces<DealDetailsView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetCrmDeal");

        g.MapPost("/deals/{id}/stage", async (string id, HttpContext http, ChangeDealStage handler, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<StageBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await handler.HandleAsync(id, body!.Stage, ct)).ToHttp(d => Results.Json(DealView.From(d), PaylinkJson.Output));
        }).Produces<DealView>().ProducesProblem(StatusCodes.Status409Conflict).WithName("ChangeCrmDealStage")
          .WithSummary("Move the deal ({\"stage\"}); visit_done, no_show and cancelled move its booking too.");

        g.MapPost("/deals/{id}/notes", async (string id, HttpContext http, AddDealNote handler, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<NoteBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await handler.HandleAsync(id, body!.Text, ct)).ToHttp(n => Results.Json(TimelineView.From(n), PaylinkJson.Output, statusCode: StatusCodes.Status201Created));
        }).Produces<TimelineView>(StatusCodes.Status201Created).WithName("AddCrmDealNote");

        g.MapGet("/tasks", async (string? status, ManageCrmTasks tasks, CancellationToken ct) =>
                (await tasks.ListAsync(status, ct)).ToHttp(items => Results.Json(new { items }, PaylinkJson.Output)))
            .WithName("ListCrmTasks").WithSummary("The manager's tasks, by due time; status open|done.");

        g.MapPost("/tasks", async (HttpContext http, MerchantScope scope, ManageCrmTasks tasks, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<TaskBody>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await tasks.CreateAsync(scope.MerchantId!, body!.Text, body.DueAt, body.DealId, ct))
                .ToHttp(t => Results.Json(TaskView.From(t), PaylinkJson.Output, statusCode: StatusCodes.Status201Created));
        }).Produces<TaskView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("CreateCrmTask");

        g.MapPost("/tasks/{id}/complete", async (string id, ManageCrmTasks tasks, CancellationToken ct) =>
                (await tasks.CompleteAsync(id, ct)).ToHttp(t => Results.Json(TaskView.From(t), PaylinkJson.Output)))
            .Produces<TaskView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("CompleteCrmTask");
    }
}
