using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>
/// An in-process YooKassa API v3 on 127.0.0.1: Basic auth, Idempotence-Key required on POST (same key → same
/// answer), payments (create with redirect confirmation, get, capture, cancel), refunds (create, get), and an
/// HTTP 202 {"type":"processing","retry_after":ms} answer for the next create calls when told. A create with
/// <c>confirmation.type = qr</c> answers <c>confirmation_data</c> (the SBP payload), and <c>payment_method_data</c> is echoed
/// as the payment's <c>payment_method</c>. Autopayments: <c>save_payment_method: true</c> saves the method when the payment
/// succeeds (<see cref="Succeed"/>), and a create with <c>payment_method_id</c> charges a saved method at once — succeeded, or
/// canceled with <c>permission_revoked</c> when the payer withdrew the permission (<see cref="RevokePermission"/>).
/// </summary>
public sealed class FakeYooKassa : IAsyncDisposable
{
    public const string ShopId = "506751";
    public const string SecretKey = "test_fake-yookassa-secret";

    public sealed record Call(string Method, string Path, string? IdempotenceKey, JsonObject? Body);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Json)> _byKey = new();

    public ConcurrentQueue<Call> Calls { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Payments { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Refunds { get; } = new();
    /// <summary>Saved methods by payment_method.id: their type and whether the payer revoked the permission.</summary>
    public ConcurrentDictionary<string, (string Type, bool Revoked)> SavedMethods { get; } = new();

    /// <summary>The payer confirmed the payment (in the bank app for SBP): succeeded, and its method saved if the create asked to.</summary>
    public JsonObject Succeed(string paymentId)
    {
        var p = Payments[paymentId];
        p["status"] = "succeeded";
        p["paid"] = true;
        if (p["save_requested"]?.GetValue<bool>() == true && p["payment_method"] is JsonObject pm)
        {
            pm["saved"] = true;
            SavedMethods[pm["id"]!.GetValue<string>()] = (pm["type"]!.GetValue<string>(), false);
        }
        return p;
    }

    /// <summary>The payer withdrew the autopay permission (for SBP: in the bank's app).</summary>
    public void RevokePermission(string methodId) => SavedMethods[methodId] = (SavedMethods[methodId].Type, true);
    public int Processing202Next;
    public string Url => _app.Urls.First() + "/v3/";

    private FakeYooKassa(WebApplication app) => _app = app;

    public static async Task<FakeYooKassa> StartAsync()
    {
        FakeYooKassa? fake = null;
        var app = await LoopbackApp.StartAsync(a => a.Map("/v3/{**path}", (string path, HttpContext ctx) => fake!.HandleAsync(path, ctx)));
        return fake = new FakeYooKassa(app);
    }

    public IEnumerable<Call> CallsTo(string method, string pathPrefix) => Calls.Where(c => c.Method == method && c.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    private async Task<IResult> HandleAsync(string path, HttpContext ctx)
    {
        var method = ctx.Request.Method;
        var key = ctx.Request.Headers["Idempotence-Key"].FirstOrDefault();
        var text = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        var body = text.Length > 0 ? JsonNode.Parse(text)!.AsObject() : null;
        Calls.Enqueue(new Call(method, path, key, body));
        if (ctx.Request.Headers.Authorization.FirstOrDefault() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ShopId}:{SecretKey}")))
            return Error(401, "invalid_credentials", "Authentication by given credentials failed");
        if (method == "POST")
        {
            if (key is null) return Error(400, "invalid_request", "Idempotence key is missing", "Idempotence-Key");
            if (path == "payments" && Processing202Next > 0 && Interlocked.Decrement(ref Processing202Next) >= 0)
                return Results.Json(new JsonObject { ["type"] = "processing", ["description"] = "Request accepted, but not processed yet", ["retry_after"] = 20 }, statusCode: 202);
            if (_byKey.TryGetValue(method + path + key, out var same)) return Results.Content(same.Json, "application/json", Encoding.UTF8, same.Status);
            var (status, json) = Post(path, body!);
            _byKey[method + path + key] = (status, json.ToJsonString());
            return Results.Content(json.ToJsonString(), "application/json", Encoding.UTF8, status);
        }
        var parts = path.Split('/');
        if (method == "GET" && parts is ["payments", var pid] && Payments.TryGetValue(pid, out var p)) return Json(p);
        if (method == "GET" && parts is ["refunds", var rid] && Refunds.TryGetValue(rid, out var r)) return Json(r);
        return Error(404, "not_found", "Object not found");
    }

    private (int, JsonObject) Post(string path, JsonObject body)
    {
        var parts = path.Split('/');
        switch (parts)
        {
            case ["payments"]:
                var id = Guid.NewGuid().ToString();
                var p = new JsonObject
                {
                    ["id"] = id, ["status"] = "pending", ["paid"] = false, ["amount"] = body["amount"]!.DeepClone(),
                    ["description"] = body["description"]?.DeepClone(), ["metadata"] = body["metadata"]?.DeepClone() ?? new JsonObject(),
                    ["capture"] = body["capture"]?.GetValue<bool>() ?? false, ["created_at"] = "2026-11-18T07:00:00.000Z", ["test"] = true,
                    ["recipient"] = new JsonObject { ["account_id"] = ShopId, ["gateway_id"] = "1" },
                    ["confirmation"] = body["confirmation"]?["type"]?.GetValue<string>() == "qr"
                        ? new JsonObject { ["type"] = "qr", ["confirmation_data"] = $"https://qr.nspk.ru/BS1A{id[..8].ToUpperInvariant()}?type=02&bank=100000000022&sum={body["amount"]!["value"]!.GetValue<string>().Replace(".", "", StringComparison.Ordinal)}&cur=RUB&crc=AB12" }
                        : new JsonObject { ["type"] = "redirect", ["confirmation_url"] = $"https://yoomoney.example/checkout/payments/v2/contract?orderId={id}" },
                    ["refundable"] = false,
                };
                if (body["payment_method_id"]?.GetValue<string>() is { } savedId)
                {
                    if (!SavedMethods.TryGetValue(savedId, out var saved))
                        return (400, ErrorJson("invalid_request", "Payment method is not saved", "payment_method_id"));
                    p["payment_method"] = new JsonObject { ["type"] = saved.Type, ["id"] = savedId, ["saved"] = !saved.Revoked };
                    p["confirmation"] = null;
                    if (saved.Revoked)
                    {
                        p["status"] = "canceled";
                        p["cancellation_details"] = new JsonObject { ["party"] = "yoo_money", ["reason"] = "permission_revoked" };
                    }
                    else
                    {
                        p["status"] = "succeeded";
                        p["paid"] = true;
                    }
                    Payments[id] = p;
                    return (200, p);
                }
                if (body["save_payment_method"]?.GetValue<bool>() == true) p["save_requested"] = true;
                if (body["payment_method_data"]?["type"]?.GetValue<string>() is { } pmType)
                {
                    // An SBP payment cannot be held (YooKassa documents one-stage only).
                    if (pmType == "sbp" && p["capture"]!.GetValue<bool>() == false) return (400, ErrorJson("invalid_request", "SBP supports capture=true only", "capture"));
                    p["payment_method"] = new JsonObject { ["type"] = pmType, ["id"] = Guid.NewGuid().ToString(), ["saved"] = false };
                }
                Payments[id] = p;
                return (200, p);
            case ["payments", var pid, "capture"] when Payments.TryGetValue(pid, out var pay):
                if (pay["status"]!.GetValue<string>() != "waiting_for_capture") return (400, ErrorJson("invalid_request", "Payment is not waiting for capture"));
                pay["status"] = "succeeded";
                if (body["amount"] is { } amt) pay["amount"] = amt.DeepClone();
                pay["captured_at"] = "2026-11-18T07:10:00.000Z";
                return (200, pay);
            case ["payments", var pid, "cancel"] when Payments.TryGetValue(pid, out var pay):
                pay["status"] = "canceled";
                pay["cancellation_details"] = new JsonObject { ["party"] = "merchant", ["reason"] = "canceled_by_merchant" };
                return (200, pay);
            case ["refunds"] when Payments.TryGetValue(body["payment_id"]!.GetValue<string>(), out var paid):
                var value = decimal.Parse(body["amount"]!["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                var before = paid["refunded_amount"] is { } ra ? decimal.Parse(ra["value"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : 0m;
                paid["refunded_amount"] = new JsonObject { ["value"] = (before + value).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), ["currency"] = "RUB" };
                var refund = new JsonObject
                {
                    ["id"] = Guid.NewGuid().ToString(), ["payment_id"] = paid["id"]!.GetValue<string>(), ["status"] = "succeeded",
                    ["amount"] = body["amount"]!.DeepClone(), ["created_at"] = "2026-11-18T08:00:00.000Z",
                };
                Refunds[refund["id"]!.GetValue<string>()] = refund;
                return (200, refund);
            default:
                return (404, ErrorJson("not_found", "Object not found"));
        }
    }

    /// <summary>An HTTP notification as YooKassa sends it: the payment object as the sender claims it to be.</summary>
    public static byte[] Notification(string evt, JsonObject obj) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "notification", ["event"] = evt, ["object"] = obj.DeepClone() }.ToJsonString());

    private static IResult Json(JsonObject o) => Results.Content(o.ToJsonString(), "application/json", Encoding.UTF8);
    private static JsonObject ErrorJson(string code, string description, string? parameter = null) => new()
    {
        ["type"] = "error", ["id"] = Guid.NewGuid().ToString(), ["code"] = code, ["description"] = description, ["parameter"] = parameter,
    };
    private static IResult Error(int status, string code, string description, string? parameter = null) =>
        Results.Content(ErrorJson(code, description, parameter).ToJsonString(), "application/json", Encoding.UTF8, status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
