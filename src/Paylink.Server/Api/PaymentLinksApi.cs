using System.Text.Json;
using Microsoft.OpenApi;
using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;

namespace Paylink.Server.Api;

/// <summary>/api/v1/links: create, get, list, cancel.</summary>
public static class PaymentLinksApi
{
    private static readonly JsonSerializerOptions ResponseJson = PaylinkJson.Output;

    public static void MapPaymentLinksApi(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/links").WithTags("Payment links");

        links.MapPost("", CreateAsync)
            // Described for OpenAPI only: Accepts<T>() would make routing answer a bare 415 before our clearer 400.
            .AddOpenApiOperationTransformer(async (op, ctx, ct) =>
            {
                var schema = await ctx.GetOrCreateSchemaAsync(typeof(CreatePaymentLinkRequest), null, ct);
                op.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .Produces<LinkView>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateLink").WithSummary("Create a payment link. Amounts are integers in minor units.");

        links.MapGet("/{id}", async (string id, GetPaymentLink handler, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp(v => Results.Json(v, ResponseJson)))
            .Produces<LinkView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetLink");

        links.MapGet("", async (string? status, string? limit, string? cursor, ListPaymentLinks handler, PublicUrls urls, TimeProvider clock, CancellationToken ct) =>
            {
                int? n = null;
                if (limit is not null)
                {
                    if (!int.TryParse(limit, out var parsed)) return Problems.From(Error.Validation("limit", "limit must be an integer between 1 and 100."));
                    n = parsed;
                }
                var r = await handler.HandleAsync(new ListPaymentLinksRequest(status, n, cursor), ct);
                var now = clock.GetUtcNow();
                return r.ToHttp(page => Results.Json(new LinkListView(page.Items.Select(l => LinkView.From(l, urls, now)).ToList(), page.NextCursor), ResponseJson));
            })
            .Produces<LinkListView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ListLinks");

        links.MapPost("/{id}/cancel", async (string id, CancelPaymentLink handler, PublicUrls urls, TimeProvider clock, CancellationToken ct) =>
                (await handler.HandleAsync(id, ct)).ToHttp(l => Results.Json(LinkView.From(l, urls, clock.GetUtcNow()), ResponseJson)))
            .Produces<LinkView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CancelLink");
    }

    public sealed record LinkListView(IReadOnlyList<LinkView> Items, string? NextCursor);

    private static async Task<IResult> CreateAsync(HttpContext http, MerchantScope scope, CreatePaymentLink handler, Idempotency idempotency,
        PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var (key, keyError) = Idempotency.KeyOf(http.Request);
        if (keyError is not null) return Problems.BadRequest(keyError);
        var (body, raw, error) = await JsonBody.ReadAsync<CreatePaymentLinkRequest>(http.Request, ct);
        var merchantId = scope.MerchantId!;
        var (answer, linkId) = await CreateOnceAsync(idempotency, handler, urls, clock, merchantId, key, body, raw, error, ct);
        if (linkId is not null) http.Response.Headers.Location = "/api/v1/links/" + linkId;
        var contentType = answer.Status >= 400 ? "application/problem+json" : "application/json; charset=utf-8";
        return Results.Text(answer.Json, contentType, System.Text.Encoding.UTF8, answer.Status);
    }

    /// <summary>
    /// Creates a link once per (merchant, key), answering 201 with the <see cref="LinkView"/> JSON, and the link's id
    /// when created or replayed (null otherwise). The API and the dashboard's form share it.
    /// </summary>
    internal static async Task<(Idempotency.Answer Answer, string? LinkId)> CreateOnceAsync(Idempotency idempotency, CreatePaymentLink handler,
        PublicUrls urls, TimeProvider clock, string merchantId, string? key, CreatePaymentLinkRequest? body, byte[] raw, Error? bodyError, CancellationToken ct)
    {
        Idempotency.Answer? created = null;
        string? createdId = null;
        var answer = await idempotency.RunAsync(merchantId, key, "links.create", raw, async () =>
        {
            if (bodyError is not null) return Idempotency.Answer.Problem(bodyError, StatusCodes.Status400BadRequest);
            // Without a key there is no transaction to share: the link may be group-committed with concurrent ones.
            var result = await handler.HandleAsync(merchantId, body!, ct, standalone: key is null);
            if (!result.IsSuccess) return Idempotency.Answer.Problem(result.Error!);
            var view = LinkView.From(result.Value, urls, clock.GetUtcNow());
            createdId = view.Id;
            return created = new Idempotency.Answer(StatusCodes.Status201Created, JsonSerializer.Serialize(view, ResponseJson));
        }, ct);
        if (answer.Status != StatusCodes.Status201Created) return (answer, null);
        // A replayed answer (or a concurrent twin's, after ours rolled back) carries its id only in the stored body.
        return (answer, ReferenceEquals(answer, created) ? createdId : JsonDocument.Parse(answer.Json).RootElement.GetProperty("id").GetString());
    }
}
