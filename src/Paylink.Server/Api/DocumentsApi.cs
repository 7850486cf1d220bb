using Paylink.Core.Common;
using Paylink.Core.Documents;

namespace Paylink.Server.Api;

/// <summary>/api/v1/requisites: the merchant's details for B2B documents (счёт, акт).</summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this RouteGroupBuilder api)
    {
        var r = api.MapGroup("/requisites").WithTags("Documents");
        r.MapGet("", async (MerchantScope scope, RequisitesStore store, CancellationToken ct) =>
                await store.GetAsync(scope.MerchantId!, ct) is { } saved ? Results.Json(saved, PaylinkJson.Output)
                    : Problems.From(Error.NotFound("Requisites")))
            .Produces<Requisites>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetRequisites");
        r.MapPut("", async (HttpContext http, MerchantScope scope, RequisitesStore store, CancellationToken ct) =>
            {
                var (body, _, error) = await JsonBody.ReadAsync<Requisites>(http.Request, ct);
                if (error is not null) return Problems.BadRequest(error);
                return (await store.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
            })
            .Produces<Requisites>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("PutRequisites")
            .WithSummary("Replace the requisites: name, inn, kpp (organisations), ogrn, address, bankName, bic, correspondentAccount, account, " +
                         "signerName, signerPosition, vat (none|vat0|vat5|vat7|vat10|vat22), dueDays. ИНН, ОГРН and account keys are checked.");
    }
}

/// <summary>/api/v1/invoices: счета for companies — create, get, list, cancel, PDF.</summary>
public static class InvoicesApi
{
    public sealed record InvoiceListView(IReadOnlyList<InvoiceView> Items, string? NextCursor);

    public static void MapInvoicesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/invoices").WithTags("Documents");
        g.MapPost("", async (HttpContext http, MerchantScope scope, CreateInvoice handler, Idempotency idempotency, PublicUrls urls, CancellationToken ct) =>
            {
                var (key, keyError) = Idempotency.KeyOf(http.Request);
                if (keyError is not null) return Problems.BadRequest(keyError);
                var (body, raw, error) = await JsonBody.ReadAsync<CreateInvoiceRequest>(http.Request, ct);
                var answer = await CreateOnceAsync(idempotency, handler, urls, scope.MerchantId!, key, body, raw, error, ct);
                return Results.Text(answer.Json, answer.Status >= 400 ? "application/problem+json" : "application/json; charset=utf-8",
                    System.Text.Encoding.UTF8, answer.Status);
            })
            .Produces<InvoiceView>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("CreateInvoice")
            .WithSummary("Issue a счёт: buyer {name, inn, kpp, address, email}, items [{name, quantity, unit, price (kopecks, VAT included), vat}], dueDate. " +
                         "Numbered per year without gaps; payable by transfer and by card/SBP at payUrl.");
        g.MapGet("/{id}", async (string id, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
                (await q.GetAsync(id, ct)).ToHttp(i => Results.Json(InvoiceView.From(i, urls.PayPage(i.LinkCode)), PaylinkJson.Output)))
            .Produces<InvoiceView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetInvoice");
        g.MapGet("", async (string? status, string? limit, string? cursor, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
            {
                int? n = null;
                if (limit is not null)
                {
                    if (!int.TryParse(limit, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                        return Problems.From(Error.Validation("limit", "limit must be an integer between 1 and 100."));
                    n = parsed;
                }
                return (await q.ListAsync(status, n, cursor, ct)).ToHttp(p => Results.Json(
                    new InvoiceListView(p.Items.Select(i => InvoiceView.From(i, urls.PayPage(i.LinkCode))).ToList(), p.NextCursor), PaylinkJson.Output));
            })
            .Produces<InvoiceListView>().WithName("ListInvoices");
        g.MapPost("/{id}/cancel", async (string id, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
                (await q.CancelAsync(id, ct)).ToHttp(i => Results.Json(InvoiceView.From(i, urls.PayPage(i.LinkCode)), PaylinkJson.Output)))
            .Produces<InvoiceView>().ProducesProblem(StatusCodes.Status409Conflict).WithName("CancelInvoice");
        g.MapGet("/{id}/pdf", async (string id, InvoiceQueries q, PublicUrls urls, CancellationToken ct) =>
                (await q.GetAsync(id, ct)).ToHttp(i => Results.File(InvoicePdf.Render(i, urls.PayPage(i.LinkCode)), "application/pdf",
                    $"schet-{i.Year}-{i.NumberText}.pdf")))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound).WithName("GetInvoicePdf");
    }

    /// <summary>Issues once per (merchant, Idempotency-Key): the API and the dashboard's form share it.</summary>
    internal static Task<Idempotency.Answer> CreateOnceAsync(Idempotency idempotency, CreateInvoice handler, PublicUrls urls, string merchantId,
        string? key, CreateInvoiceRequest? body, byte[] raw, Error? bodyError, CancellationToken ct) =>
        idempotency.RunAsync(merchantId, key, "invoices.create", raw, async () =>
        {
            if (bodyError is not null) return Idempotency.Answer.Problem(bodyError, StatusCodes.Status400BadRequest);
            var r = await handler.HandleAsync(merchantId, body!, ct);
            if (!r.IsSuccess) return Idempotency.Answer.Problem(r.Error!);
            return new Idempotency.Answer(StatusCodes.Status201Created,
                System.Text.Json.JsonSerializer.Serialize(InvoiceView.From(r.Value, urls.PayPage(r.Value.LinkCode)), PaylinkJson.Output));
        }, ct);
}
