using Microsoft.OpenApi;
using Paylink.Core.Common;
using Paylink.Core.Webhooks;

namespace Paylink.Server.Api;

/// <summary>
/// /api/v1/webhook-endpoints and /api/v1/webhook-deliveries: merchants register URLs for signed event
/// notifications, rotate secrets, read the delivery log and redeliver. Creation takes no Idempotency-Key:
/// its answer holds the secret, which is never stored in clear (a retried create makes a second endpoint,
/// which the merchant can delete).
/// </summary>
public static class WebhookEndpointsApi
{
    public static void MapWebhookEndpointsApi(this RouteGroupBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");

        endpoints.MapPost("/", async (HttpContext http, MerchantScope scope, CreateWebhookEndpoint handler, CancellationToken ct) =>
            {
                var (body, _, error) = await JsonBody.ReadAsync<CreateWebhookEndpointRequest>(http.Request, ct);
                if (error is not null) return Problems.BadRequest(error);
                var r = await handler.HandleAsync(scope.MerchantId!, body!, ct);
                if (!r.IsSuccess) return Problems.From(r.Error!);
                return Results.Json(WebhookEndpointWithSecretView.From(r.Value.Endpoint, r.Value.Secret), PaylinkJson.Output,
                    statusCode: StatusCodes.Status201Created);
            })
            .AddOpenApiOperationTransformer(async (op, ctx, ct) =>
            {
                var schema = await ctx.GetOrCreateSchemaAsync(typeof(CreateWebhookEndpointRequest), null, ct);
                op.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .Produces<WebhookEndpointWithSecretView>(StatusCodes.Status201Created)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("CreateWebhookEndpoint")
            .WithSummary($"Register a webhook endpoint. Events: {string.Join(", ", WebhookEventTypes.All)}. The secret is shown only in this answer.");

        endpoints.MapGet("/", async (ManageWebhookEndpoints manage, CancellationToken ct) =>
                Results.Json(new WebhookEndpointListView((await manage.ListAsync(ct)).Select(WebhookEndpointView.From).ToList()), PaylinkJson.Output))
            .Produces<WebhookEndpointListView>().WithName("ListWebhookEndpoints");

        endpoints.MapGet("/{id}", async (string id, ManageWebhookEndpoints manage, CancellationToken ct) =>
                (await manage.GetAsync(id, ct)).ToHttp(e => Results.Json(WebhookEndpointView.From(e), PaylinkJson.Output)))
            .Produces<WebhookEndpointView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetWebhookEndpoint");

        endpoints.MapDelete("/{id}", async (string id, ManageWebhookEndpoints manage, CancellationToken ct) =>
                (await manage.DeleteAsync(id, ct)).ToHttp(_ => Results.NoContent()))
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).WithName("DeleteWebhookEndpoint");

        endpoints.MapPost("/{id}/rotate-secret", async (string id, ManageWebhookEndpoints manage, CancellationToken ct) =>
                (await manage.RotateSecretAsync(id, ct)).ToHttp(r => Results.Json(WebhookEndpointWithSecretView.From(r.Endpoint, r.Secret), PaylinkJson.Output)))
            .Produces<WebhookEndpointWithSecretView>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("RotateWebhookSecret").WithSummary("Replace the signing secret; the new one is shown only in this answer.");

        endpoints.MapGet("/{id}/deliveries", async (string id, string? limit, string? cursor, ManageWebhookEndpoints manage, CancellationToken ct) =>
            {
                int? n = null;
                if (limit is not null)
                {
                    if (!int.TryParse(limit, out var parsed)) return Problems.From(Error.Validation("limit", $"limit must be an integer between 1 and {ManageWebhookEndpoints.MaxPage}."));
                    n = parsed;
                }
                return (await manage.DeliveriesAsync(id, n, cursor, ct))
                    .ToHttp(page => Results.Json(new WebhookDeliveryListView(page.Items, page.NextCursor), PaylinkJson.Output));
            })
            .Produces<WebhookDeliveryListView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("ListWebhookDeliveries");

        api.MapPost("/webhook-deliveries/{id}/redeliver", async (string id, RedeliverWebhook redeliver, CancellationToken ct) =>
                (await redeliver.HandleAsync(id, ct)).ToHttp(d => Results.Json(WebhookDeliveryView.From(d, null), PaylinkJson.Output,
                    statusCode: StatusCodes.Status202Accepted)))
            .WithTags("Webhooks")
            .Produces<WebhookDeliveryView>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("RedeliverWebhook").WithSummary("Send a delivery again (same webhook-id and body, new signature).");
    }

    public sealed record WebhookEndpointListView(IReadOnlyList<WebhookEndpointView> Items);
    public sealed record WebhookDeliveryListView(IReadOnlyList<WebhookDeliveryView> Items, string? NextCursor);
}
