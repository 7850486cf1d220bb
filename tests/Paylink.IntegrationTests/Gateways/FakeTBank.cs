using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Paylink.Providers.Gateways.TBank;
using Paylink.IntegrationTests.Infrastructure;

namespace Paylink.IntegrationTests.Gateways;

/// <summary>
/// An in-process T-Bank speaking its wire protocol on 127.0.0.1: checks every request's Token with the
/// terminal password, keeps payments, answers Init/GetState/CheckOrder/Confirm/Cancel/Charge as the bank
/// documents, and can be told to fail (HTTP 500) the next calls of a method.
/// </summary>
public sealed class FakeTBank : IAsyncDisposable
{
    public const string TerminalKey = "TestTerminalDEMO";
    public const string Password = "fake-terminal-password";

    private readonly WebApplication _app;
    // Bank payment ids are unique bank-wide; start each fake somewhere random so tests sharing a database do not collide.
    private long _nextId = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    public ConcurrentQueue<(string Method, JsonObject Body)> Requests { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Payments { get; } = new();
    public ConcurrentDictionary<string, int> FailNext { get; } = new();
    /// <summary>Answer the next call of a method only after this long (the work is done first, as a slow bank
    /// whose answer is lost to the client's timeout).</summary>
    public ConcurrentDictionary<string, TimeSpan> DelayNext { get; } = new();
    public string? ChargeStatus { get; set; } = "CONFIRMED";
    public string Url => _app.Urls.First() + "/v2/";

    private FakeTBank(WebApplication app) => _app = app;

    public static async Task<FakeTBank> StartAsync()
    {
        FakeTBank? fake = null;
        var app = await LoopbackApp.StartAsync(a =>
        {
            a.MapPost("/v2/{method}", async (string method, JsonObject body) =>
            {
                var result = fake!.Handle(method, body);
                if (fake.DelayNext.TryRemove(method, out var delay)) await Task.Delay(delay);
                return result;
            });
            a.MapPost("/cashbox/{method}", (string method, JsonObject body) => fake!.Handle(method, body));
        });
        return fake = new FakeTBank(app);
    }

    public IEnumerable<JsonObject> Calls(string method) => Requests.Where(r => r.Method == method).Select(r => r.Body);

    private IResult Handle(string method, JsonObject body)
    {
        Requests.Enqueue((method, body));
        if (FailNext.TryGetValue(method, out var n) && n > 0) { FailNext[method] = n - 1; return Results.StatusCode(500); }
        using var doc = JsonDocument.Parse(body.ToJsonString());
        if (!TBankToken.Verify(doc.RootElement, Password) || body["TerminalKey"]?.GetValue<string>() != TerminalKey)
            return Results.Json(new { Success = false, ErrorCode = "204", Message = "Неверный токен" });
        var id = body["PaymentId"]?.ToString();
        switch (method)
        {
            case "Init":
                var pid = Interlocked.Increment(ref _nextId).ToString();
                var stage = body["PayType"]?.GetValue<string>() == "T";
                Payments[pid] = new JsonObject { ["PaymentId"] = pid, ["OrderId"] = body["OrderId"]!.GetValue<string>(), ["Amount"] = body["Amount"]!.GetValue<long>(), ["Status"] = "NEW", ["TwoStage"] = stage };
                return Ok(new { Status = "NEW", PaymentId = pid, OrderId = body["OrderId"]!.GetValue<string>(), Amount = body["Amount"]!.GetValue<long>(), PaymentURL = $"https://pay.example/{pid}" });
            case "GetState":
                if (id is null || !Payments.TryGetValue(id, out var p)) return Results.Json(new { Success = false, ErrorCode = "7", Message = "Платёж не найден" });
                return Ok(new { Status = p["Status"]!.GetValue<string>(), PaymentId = id, Amount = p["Amount"]!.GetValue<long>(), OrderId = p["OrderId"]!.GetValue<string>() });
            case "Confirm":
                Payments[id!]["Status"] = "CONFIRMED";
                return Ok(new { Status = "CONFIRMED", PaymentId = id });
            case "Cancel":
                var pay = Payments[id!];
                var status = pay["Status"]!.GetValue<string>() == "AUTHORIZED" ? "REVERSED"
                    : body["Amount"] is { } amt && amt.GetValue<long>() < pay["Amount"]!.GetValue<long>() ? "PARTIAL_REFUNDED" : "REFUNDED";
                pay["Status"] = status;
                return Ok(new { Status = status, PaymentId = id, OriginalAmount = pay["Amount"]!.GetValue<long>() });
            case "Charge":
                Payments[id!]["Status"] = ChargeStatus;
                return Ok(new { Status = ChargeStatus, PaymentId = id, Amount = Payments[id!]["Amount"]!.GetValue<long>() });
            case "SendClosingReceipt":
                if (id is null || !Payments.ContainsKey(id)) return Results.Json(new { Success = false, ErrorCode = "7", Message = "Платёж не найден" });
                return Ok(new { PaymentId = id });
            default:
                return Results.Json(new { Success = false, ErrorCode = "9999", Message = "unknown method" });
        }
    }

    private static IResult Ok(object fields)
    {
        var o = JsonSerializer.SerializeToNode(fields)!.AsObject();
        o["Success"] = true;
        o["ErrorCode"] = "0";
        o["TerminalKey"] = TerminalKey;
        return Results.Json(o);
    }

    /// <summary>A notification as the bank would send it, signed with the terminal password.</summary>
    public static byte[] Notification(string orderId, string paymentId, string status, long amount, string? rebillId = null, string password = Password)
    {
        var o = new JsonObject
        {
            ["TerminalKey"] = TerminalKey, ["OrderId"] = orderId, ["Success"] = true, ["Status"] = status,
            ["PaymentId"] = long.Parse(paymentId), ["ErrorCode"] = "0", ["Amount"] = amount, ["Pan"] = "430000******0777",
        };
        if (rebillId is not null) o["RebillId"] = long.Parse(rebillId);
        o["Token"] = TBankToken.Compute(o, password);
        return System.Text.Encoding.UTF8.GetBytes(o.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
