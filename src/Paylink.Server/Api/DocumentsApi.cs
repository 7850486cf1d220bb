using Paylink.Core.Common;
using Paylink.Core.Documents;

namespace Paylink.Server.Api;

/// <summary>/api/v1/requisites: the merchant's details for B2B documents (счёт, акт).</summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/documents/export", async (string? from, string? to, string? format, HttpContext http, MerchantScope scope,
                Paylink.Core.Merchants.MerchantCache merchants, ExportDocuments export, CancellationToken ct) =>
            {
                var merchant = await merchants.GetAsync(scope.MerchantId!, ct);
                var period = Paylink.Core.Payments.ExportPayments.ParsePeriod(from, to, format, merchant!.Zone);
                if (!period.IsSuccess) return Problems.From(period.Error!);
                var csv = await export.HandleAsync(scope.MerchantId!, period.Value, ct);
                if (!csv.IsSuccess) return Problems.From(csv.Error!);
                http.Response.Headers.ContentDisposition = "attachment; filename=\"documents.csv\"";
                return Results.Text(csv.Value, "text/csv; charset=utf-8", new System.Text.UTF8Encoding(false));
            }).WithTags("Documents").ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ExportDocuments")
            .WithSummary("Счета and акты/УПД of a period, one row per line, as CSV for 1C (columns in docs/export.md).");
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

public sealed record ActView(string Id, string InvoiceId, string Number, int Year, string Kind, string Date, string PdfUrl)
{
    public static ActView From(Act a) => new(a.Id, a.InvoiceId, a.NumberText, a.Year, a.Kind,
        a.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"/api/v1/invoices/{a.InvoiceId}/act/pdf");
}

/// <summary>The answer of POST /invoices/{id}/send: the queued (or earlier) message; <c>to</c> masked.</summary>
public sealed record InvoiceSendView(string MessageId, string Channel, string AccountId, string To, string Status, bool AlreadySent)
{
    public static InvoiceSendView From(SentInvoice s) => new(s.Message.Id, s.Message.Channel, s.Message.AccountId,
        s.Message.To.Contains('@') ? Masking.Email(s.Message.To) : s.Message.To, s.Message.Status, s.AlreadySent);
}

/// <summary>/api/v1/invoices: счета for companies — create, get, list, cancel, PDF; the act of each.</summary>
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
        g.MapPost("/{id}/send", async (string id, HttpContext http, MerchantScope scope, SendInvoice send, CancellationToken ct) =>
            {
                var (body, _, error) = await JsonBody.ReadAsync<SendInvoiceRequest>(http.Request, ct);
                if (error is not null) return Problems.BadRequest(error);
                return (await send.HandleAsync(scope.MerchantId!, id, body!, ct)).ToHttp(s =>
                {
                    http.Response.Headers.Location = "/api/v1/messages/" + s.Message.Id;
                    return Results.Json(InvoiceSendView.From(s), PaylinkJson.Output, statusCode: s.AlreadySent ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
                });
            })
            .Produces<InvoiceSendView>(StatusCodes.Status202Accepted).Produces<InvoiceSendView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("SendInvoice")
            .WithSummary("Send the счёт: {channel: email|telegram|…|account id, to?} (to defaults to the buyer's e-mail). E-mail carries the PDF; chats " +
                         "the number, amount, due date, pay link and PDF link. Once per (счёт, account, recipient): a repeat answers 200 with the first message.");
        g.MapPost("/{id}/act", async (string id, IssueAct issue, CancellationToken ct) =>
                (await issue.HandleAsync(id, ct)).ToHttp(a => Results.Json(ActView.From(a), PaylinkJson.Output)))
            .Produces<ActView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithName("IssueAct")
            .WithSummary("The service is done: issue the акт (УПД status 2 for a seller without VAT) now. Paid счета get theirs automatically; a second call answers the same act.");
        g.MapGet("/{id}/act", async (string id, InvoiceQueries q, CancellationToken ct) =>
                (await q.ActAsync(id, ct)).ToHttp(a => Results.Json(ActView.From(a.Act), PaylinkJson.Output)))
            .Produces<ActView>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetAct");
        g.MapGet("/{id}/act/pdf", async (string id, InvoiceQueries q, CancellationToken ct) =>
                (await q.ActAsync(id, ct)).ToHttp(a => Results.File(ActPdf.Render(a.Act, a.Invoice), "application/pdf",
                    $"{(a.Act.Kind == Act.KindUpd ? "upd" : "akt")}-{a.Act.Year}-{a.Act.NumberText}.pdf")))
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status404NotFound).WithName("GetActPdf");
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

/// <summary>/api/v1/statements: import a 1C «Клиент-банк» statement and the review list of unmatched transfers.</summary>
public static class StatementsApi
{
    public sealed record MatchBody(string? InvoiceId);

    public sealed record StatementLineView(string Id, string DocumentNumber, string Date, long Amount, string Currency, string? PayerInn, string? PayerName,
        string Purpose, string Status, string? Reason, string? InvoiceId, DateTimeOffset ImportedAt)
    {
        public static StatementLineView From(StatementLine l) => new(l.Id, l.DocumentNumber, l.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            l.AmountMinor, l.Currency, l.PayerInn, l.PayerName, l.Purpose, l.Status.ToString().ToLowerInvariant(), l.Reason, l.InvoiceId, l.ImportedAt);
    }

    public sealed record ImportView(int Documents, int Incoming, int Matched, int Review, int AlreadyImported, IReadOnlyList<StatementLineView> Lines)
    {
        public static ImportView From(StatementImportResult r) =>
            new(r.Documents, r.Incoming, r.Matched, r.Review, r.AlreadyImported, r.Lines.Select(StatementLineView.From).ToList());
    }

    public static void MapStatementsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/statements").WithTags("Documents");
        g.MapPost("", async (HttpContext http, MerchantScope scope, ImportStatement import, CancellationToken ct) =>
            {
                var raw = await RequestBodies.ReadLimitedAsync(http.Request, ImportStatement.MaxBytes, ct);
                if (raw is null) return Problems.From(Error.Validation("file", $"The file must be at most {ImportStatement.MaxBytes / 1024 / 1024} MB."));
                return (await import.HandleAsync(scope.MerchantId!, raw, ct)).ToHttp(r => Results.Json(ImportView.From(r), PaylinkJson.Output));
            })
            .Produces<ImportView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ImportStatement")
            .WithSummary("Upload a 1C «Клиент-банк» file (Windows-1251) as the body: exact matches pay their счёт; others go to review. Idempotent.");
        g.MapGet("/lines", async (string? status, StatementReview review, CancellationToken ct) =>
                Results.Json(new { items = (await review.ListAsync(status, ct)).Select(StatementLineView.From) }, PaylinkJson.Output))
            .WithName("ListStatementLines").WithSummary("Transfers from imported statements; status review (default) | matched | dismissed | all.");
        g.MapPost("/lines/{id}/dismiss", async (string id, StatementReview review, CancellationToken ct) =>
                (await review.DismissAsync(id, ct)).ToHttp(l => Results.Json(StatementLineView.From(l), PaylinkJson.Output)))
            .WithName("DismissStatementLine");
        g.MapPost("/lines/{id}/match", async (string id, HttpContext http, StatementReview review, CancellationToken ct) =>
            {
                var (body, _, error) = await JsonBody.ReadAsync<MatchBody>(http.Request, ct);
                if (error is not null) return Problems.BadRequest(error);
                return (await review.MatchAsync(id, body!.InvoiceId, ct)).ToHttp(l => Results.Json(StatementLineView.From(l), PaylinkJson.Output));
            })
            .WithName("MatchStatementLine").WithSummary("Match a review line to an open счёт of exactly its amount: records the payment.");
    }
}
