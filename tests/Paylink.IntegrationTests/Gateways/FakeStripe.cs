using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>
/// An in-process Stripe API on 127.0.0.1 as Stripe.net talks to it: Bearer secret key, form-encoded POSTs with an
/// Idempotency-Key, JSON objects back. Checkout Sessions (create), PaymentIntents (get, with latest_charge
/// expanded) and Refunds (create); webhook events signed like Stripe (t=, v1=HMAC-SHA256 of "t.body").
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fakeStripeKey123";
    public const string WebhookSecret = "whsec_fakeStripeWebhookSecret";

    public sealed record Call(string Method, string Path, string? IdempotencyKey, IReadOnlyDictionary<string, string> Form);

    private readonly WebApplication _app;
    private int _next;

    public ConcurrentQueue<Call> Calls { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Sessions { get; } = new();
    public ConcurrentDictionary<string, JsonObject> PaymentIntents { get; } = new();
    public string Url => _app.Urls.First();

    private FakeStripe(WebApplication app) => _app = app;

    public static async Task<FakeStripe> StartAsync()
    {
        FakeStripe? fake = null;
        var app = await LoopbackApp.StartAsync(a => a.Map("/v1/{**path}", (string path, HttpContext ctx) => fake!.HandleAsync(path, ctx)));
        return fake = new FakeStripe(app);
    }

    private string NextId(string prefix) => $"{prefix}_test_{Interlocked.Increment(ref _next):D6}{Guid.NewGuid():N}"[..(prefix.Length + 20)];

    private async Task<IResult> HandleAsync(string path, HttpContext ctx)
    {
        var form = new Dictionary<string, string>();
        if (ctx.Request.HasFormContentType)
            foreach (var (k, v) in await ctx.Request.ReadFormAsync()) form[k] = v.ToString();
        Calls.Enqueue(new Call(ctx.Request.Method, path, ctx.Request.Headers["Idempotency-Key"].FirstOrDefault(), form));
        if (ctx.Request.Headers.Authorization.FirstOrDefault() != "Bearer " + SecretKey)
            return Json(new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = "Invalid API Key provided" } }, 401);
        var parts = path.Split('/');
        switch (ctx.Request.Method, parts)
        {
            case ("POST", ["checkout", "sessions"]):
                var pi = NextId("pi");
                var cs = NextId("cs");
                var metadata = new JsonObject();
                foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))) metadata[k[9..^1]] = v;
                PaymentIntents[pi] = new JsonObject
                {
                    ["id"] = pi, ["object"] = "payment_intent", ["amount"] = long.Parse(form["line_items[0][price_data][unit_amount]"]),
                    ["amount_received"] = 0, ["currency"] = form["line_items[0][price_data][currency]"], ["status"] = "requires_payment_method",
                    ["metadata"] = metadata.DeepClone(), ["latest_charge"] = null, ["livemode"] = false,
                };
                var session = new JsonObject
                {
                    ["id"] = cs, ["object"] = "checkout.session", ["url"] = $"https://checkout.stripe.example/c/pay/{cs}", ["status"] = "open",
                    ["payment_status"] = "unpaid", ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"), ["metadata"] = metadata,
                    ["payment_intent"] = pi, ["mode"] = "payment", ["livemode"] = false,
                };
                Sessions[cs] = session;
                return Json(session);
            case ("GET", ["payment_intents", var id]) when PaymentIntents.TryGetValue(id, out var found):
                return Json(found);
            case ("POST", ["refunds"]) when PaymentIntents.TryGetValue(form["payment_intent"], out var paid):
                var amount = long.Parse(form["amount"]);
                var charge = paid["latest_charge"]!.AsObject();
                charge["amount_refunded"] = long.Parse(charge["amount_refunded"]!.ToJsonString()) + amount;
                return Json(new JsonObject { ["id"] = NextId("re"), ["object"] = "refund", ["amount"] = amount, ["status"] = "succeeded", ["payment_intent"] = paid["id"]!.GetValue<string>() });
            default:
                return Json(new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = "No such object" } }, 404);
        }
    }

    /// <summary>Marks a PaymentIntent paid (as Stripe would after the buyer completes the Checkout).</summary>
    public void Succeed(string pi)
    {
        var p = PaymentIntents[pi];
        p["status"] = "succeeded";
        p["amount_received"] = p["amount"]!.GetValue<long>();
        p["latest_charge"] = new JsonObject { ["id"] = NextId("ch"), ["object"] = "charge", ["amount"] = p["amount"]!.GetValue<long>(), ["amount_refunded"] = 0, ["paid"] = true };
    }

    /// <summary>A checkout.session.completed event body (raw bytes as Stripe sends them).</summary>
    public string SessionCompleted(string cs, long created)
    {
        var s = Sessions[cs].DeepClone().AsObject();
        s["status"] = "complete";
        s["payment_status"] = "paid";
        return new JsonObject
        {
            ["id"] = NextId("evt"), ["object"] = "event", ["api_version"] = "2025-09-30.clover", ["created"] = created,
            ["type"] = "checkout.session.completed", ["livemode"] = false, ["pending_webhooks"] = 1,
            ["data"] = new JsonObject { ["object"] = s },
        }.ToJsonString();
    }

    /// <summary>The Stripe-Signature header: t=&lt;unix&gt;,v1=hex(HMAC-SHA256(key = the whole whsec_ string, "t.body")).</summary>
    public static string Sign(string body, long timestamp, string secret = WebhookSecret)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private static IResult Json(JsonObject o, int status = 200) => Results.Content(o.ToJsonString(), "application/json", Encoding.UTF8, status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
