using System.Text.Json;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Payments;
using Paylink.Core.Refunds;

namespace Paylink.Server.Api;

/// <summary>Money operations on links (refunds, capture, void, settle), customers' saved methods and charges, fiscal settings.</summary>
public static class MoneyApi
{
    private static readonly JsonSerializerOptions Json = PaylinkJson.Output;

    public static void MapMoneyApi(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/links").WithTags("Payment links");

        links.MapPost("/{id}/refunds", async (string id, HttpContext http, MerchantScope scope, RefundPayment refunds, Idempotency idempotency,
            CancellationToken ct) =>
        {
            var (key, keyError) = Idempotency.KeyOf(http.Request);
            if (keyError is not null) return Problems.BadRequest(keyError);
            var (body, raw, error) = await ReadOptionalAsync<RefundLinkRequest>(http.Request, new RefundLinkRequest(null, null), ct);
            if (error is not null) return Problems.BadRequest(error);
            var (refused, sent) = await RefundOnceAsync(idempotency, refunds, scope.MerchantId!, key, id, body!, raw, ct);
            if (refused is not null) return Results.Text(refused.Json, "application/problem+json", System.Text.Encoding.UTF8, refused.Status);
            if (!sent.IsSuccess) return Problems.From(sent.Error!);
            var view = RefundView.From(sent.Value);
            return sent.Value.Status switch
            {
                RefundStatus.Succeeded => Results.Json(view, Json, statusCode: StatusCodes.Status201Created),
                RefundStatus.Pending => Results.Json(view, Json, statusCode: StatusCodes.Status202Accepted),
                _ => Results.Json(new Dictionary<string, object?>(Problems.Body(Error.Declined("The gateway refused the refund: " + sent.Value.FailureReason), StatusCodes.Status402PaymentRequired))
                    { ["refund"] = view }, Json, "application/problem+json", StatusCodes.Status402PaymentRequired),
            };
        }).Produces<RefundView>(StatusCodes.Status201Created).Produces<RefundView>(StatusCodes.Status202Accepted)
          .WithName("RefundLink").WithSummary("Full or partial refund (amount in minor units); never more than captured minus refunded. Idempotency-Key supported.");

        links.MapGet("/{id}/refunds", async (string id, GetPaymentLink get, CancellationToken ct) =>
                (await get.HandleAsync(id, ct)).ToHttp(v => Results.Json(new { items = v.Refunds }, Json)))
            .WithName("ListLinkRefunds");

        links.MapPost("/{id}/capture", async (string id, HttpContext http, CapturePayment capture, GetPaymentLink get, CancellationToken ct) =>
        {
            var (body, _, error) = await ReadOptionalAsync<CaptureRequestInput>(http.Request, new CaptureRequestInput(null), ct);
            if (error is not null) return Problems.BadRequest(error);
            var r = await capture.HandleAsync(id, body!, ct);
            return r.IsSuccess ? (await get.HandleAsync(id, ct)).ToHttp(v => Results.Json(v, Json)) : Problems.From(r.Error!);
        }).Produces<LinkView>().WithName("CaptureLink").WithSummary("Capture held money of a capture=manual link (all, or {\"amount\"} of it).");

        links.MapPost("/{id}/void", async (string id, VoidPayment voider, GetPaymentLink get, CancellationToken ct) =>
        {
            var r = await voider.HandleAsync(id, ct);
            return r.IsSuccess ? (await get.HandleAsync(id, ct)).ToHttp(v => Results.Json(v, Json)) : Problems.From(r.Error!);
        }).Produces<LinkView>().WithName("VoidLink").WithSummary("Release the money held for a capture=manual link.");

        links.MapPost("/{id}/settle", async (string id, SettleLink settle, GetPaymentLink get, CancellationToken ct) =>
        {
            var r = await settle.HandleAsync(id, ct);
            return r.IsSuccess ? (await get.HandleAsync(id, ct)).ToHttp(v => Results.Json(v, Json)) : Problems.From(r.Error!);
        }).Produces<LinkView>().WithName("SettleLink").WithSummary("Issue the closing receipt (settlement of prepayment) when the prepaid service was rendered.");

        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapGet("/{id}/payment-methods", async (string id, CustomerPaymentMethods methods, CancellationToken ct) =>
                (await methods.ListAsync(id, ct)).ToHttp(l => Results.Json(new { items = l.Select(SavedMethodView.From).ToList() }, Json)))
            .WithName("ListPaymentMethods");
        customers.MapDelete("/{id}/payment-methods/{pmId}", async (string id, string pmId, CustomerPaymentMethods methods, CancellationToken ct) =>
                (await methods.RevokeAsync(id, pmId, ct)).ToHttp(m => Results.Json(SavedMethodView.From(m), Json)))
            .WithName("RevokePaymentMethod").WithSummary("Revoke the consent: the method can no longer be charged (the record stays as evidence).");
        customers.MapPost("/{id}/charges", async (string id, HttpContext http, MerchantScope scope, ChargeCustomer charge, Idempotency idempotency,
            GetPaymentLink get, CancellationToken ct) =>
        {
            var (key, keyError) = Idempotency.KeyOf(http.Request);
            if (keyError is not null) return Problems.BadRequest(keyError);
            var (body, raw, error) = await JsonBody.ReadAsync<ChargeCustomerRequest>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            var answer = await idempotency.RunAsync(scope.MerchantId!, key, "customers.charge:" + id, raw, async () =>
            {
                var prepared = await charge.PrepareAsync(scope.MerchantId!, id, body!, ct);
                return prepared.IsSuccess
                    ? new Idempotency.Answer(StatusCodes.Status201Created, JsonSerializer.Serialize(new { linkId = prepared.Value.Link.Id, attemptId = prepared.Value.Attempt.Id }, Json))
                    : Idempotency.Answer.Problem(prepared.Error!);
            }, ct);
            if (answer.Status != StatusCodes.Status201Created)
                return Results.Text(answer.Json, "application/problem+json", System.Text.Encoding.UTF8, answer.Status);
            var ids = JsonDocument.Parse(answer.Json).RootElement;
            var linkId = ids.GetProperty("linkId").GetString()!;
            var executed = await charge.ExecuteAsync(ids.GetProperty("attemptId").GetString()!, ct);
            if (!executed.IsSuccess) return Problems.From(executed.Error!);
            return (await get.HandleAsync(linkId, ct)).ToHttp(v => Results.Json(v, Json, statusCode: StatusCodes.Status201Created));
        }).Produces<LinkView>(StatusCodes.Status201Created).WithName("ChargeCustomer")
          .WithSummary("Charge the customer's saved payment method (consent recorded at saving). Creates a link that records the payment. Idempotency-Key supported.");

        api.MapGet("/fiscal-settings", async (MerchantScope scope, UpdateFiscalSettings fiscal, CancellationToken ct) =>
                (await fiscal.GetAsync(scope.MerchantId!, ct)).ToHttp(f => Results.Json(f, Json)))
            .WithTags("Receipts").WithName("GetFiscalSettings");
        api.MapPut("/fiscal-settings", async (HttpContext http, MerchantScope scope, UpdateFiscalSettings fiscal, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<FiscalSettingsInput>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await fiscal.HandleAsync(scope.MerchantId!, body!, ct)).ToHttp(f => Results.Json(f, Json));
        }).WithTags("Receipts").WithName("PutFiscalSettings").WithSummary("54-FZ settings: receiptsEnabled, taxSystem, defaultVat, paymentMethod, defaultPaymentObject, defaultMeasure, ffdVersion.");

        api.MapGet("/payment-method-settings", async (MerchantScope scope, PaymentMethodSettingsStore store, CancellationToken ct) =>
                Results.Json(await store.GetAsync(scope.MerchantId!, ct), Json))
            .Produces<PaymentMethodSettings>().WithTags("Payments").WithName("GetPaymentMethodSettings");
        api.MapPut("/payment-method-settings", async (HttpContext http, MerchantScope scope, PaymentMethodSettingsStore store, CancellationToken ct) =>
        {
            var (body, _, error) = await JsonBody.ReadAsync<PaymentMethodSettings>(http.Request, ct);
            if (error is not null) return Problems.BadRequest(error);
            return (await store.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(s => Results.Json(s, Json));
        }).Produces<PaymentMethodSettings>().WithTags("Payments").WithName("PutPaymentMethodSettings")
          .WithSummary("Pay page default method (card or sbp) and the fee rates (basis points) behind «сэкономлено через СБП».");
    }

    /// <summary>
    /// A refund that happens once per (merchant, key): step 1 reserves under the idempotency key, step 2 sends it
    /// (or resumes a pending one on a retry with the same key). The API and the dashboard's refund form share it.
    /// </summary>
    /// <returns>Refused: the reservation's problem answer (nothing reserved); otherwise the sent refund or the gateway's error.</returns>
    internal static async Task<(Idempotency.Answer? Refused, Result<Refund> Sent)> RefundOnceAsync(Idempotency idempotency, RefundPayment refunds,
        string merchantId, string? key, string linkId, RefundLinkRequest body, byte[] raw, CancellationToken ct)
    {
        var answer = await idempotency.RunAsync(merchantId, key, "links.refund:" + linkId, raw, async () =>
        {
            var reserved = await refunds.ReserveAsync(linkId, body, ct);
            return reserved.IsSuccess
                ? new Idempotency.Answer(StatusCodes.Status201Created, JsonSerializer.Serialize(RefundView.From(reserved.Value), Json))
                : Idempotency.Answer.Problem(reserved.Error!);
        }, ct);
        if (answer.Status != StatusCodes.Status201Created) return (answer, default);
        var refundId = JsonDocument.Parse(answer.Json).RootElement.GetProperty("id").GetString()!;
        return (null, await refunds.SendAsync(refundId, resend: key is not null, ct));
    }

    /// <summary>A JSON body that may be absent (no Content-Type, empty): then <paramref name="empty"/>.</summary>
    private static async Task<(T? Value, byte[] Raw, Error? Error)> ReadOptionalAsync<T>(HttpRequest request, T empty, CancellationToken ct) where T : class
    {
        if (request.ContentLength is 0 || (request.ContentType is null && request.ContentLength is null or 0)) return (empty, [], null);
        return await JsonBody.ReadAsync<T>(request, ct);
    }
}
