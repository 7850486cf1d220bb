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
/// documents (plus the SBP methods GetQr, GetQrBankList and the DEMO terminal's SbpPayTest, and SBP refunds answered
/// ASYNC_REFUNDING), and can be told to fail (HTTP 500) the next calls of a method. SBP autopay: GetQr of a payment whose Init had
/// Recurrent "Y" starts an account binding and answers its RequestKey; the payer's bank binds it (<see cref="ActivateBinding"/>,
/// or ends it: <see cref="DeactivateBinding"/>); GetAddAccountQrState reports it; ChargeQr charges a payment whose Init had
/// Recurrent "Y" and DATA.QR "true" from an ACTIVE binding's AccountToken.
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
    /// <summary>Account bindings by RequestKey: Status (NEW, ACTIVE, INACTIVE), AccountToken, BankMemberId, BankMemberName.</summary>
    public ConcurrentDictionary<string, JsonObject> Bindings { get; } = new();

    /// <summary>The payer agreed in the bank app: the binding is ACTIVE with an AccountToken.</summary>
    public string ActivateBinding(string requestKey)
    {
        var b = Bindings[requestKey];
        var token = "A" + Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        b["Status"] = "ACTIVE";
        b["AccountToken"] = token;
        b["BankMemberId"] = "100000000111";
        b["BankMemberName"] = "Сбербанк";
        return token;
    }

    /// <summary>The payer switched autopay off in the bank app (or the bank ended it).</summary>
    public void DeactivateBinding(string requestKey) => Bindings[requestKey]["Status"] = "INACTIVE";
    public ConcurrentDictionary<string, int> FailNext { get; } = new();
    /// <summary>Answer the next call of a method only after this long (the work is done first, as a slow bank
    /// whose answer is lost to the client's timeout).</summary>
    public ConcurrentDictionary<string, TimeSpan> DelayNext { get; } = new();
    public string? ChargeStatus { get; set; } = "CONFIRMED";
    /// <summary>Whether Cancel of an SBP payment answers ASYNC_REFUNDING (the refund finishes later) instead of finishing at once.</summary>
    public bool SbpRefundsAsync { get; set; } = true;

    public sealed record SbpBank(string BankId, string Name, string Logo);
    public static readonly SbpBank[] SbpBanks =
    [
        new("100000000004", "Т-Банк", "https://qr.nspk.ru/proxyapp/logo/bank100000000004.png"),
        new("100000000111", "Сбербанк", "https://qr.nspk.ru/proxyapp/logo/bank100000000111.png"),
    ];

    /// <summary>The SBP refund the bank was working on is done (then its notification is sent by the test).</summary>
    public string FinishSbpRefund(string paymentId)
    {
        var p = Payments[paymentId];
        var final = p["RefundsTo"]!.GetValue<string>();
        p["Status"] = final;
        return final;
    }
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
                Payments[pid] = new JsonObject { ["PaymentId"] = pid, ["OrderId"] = body["OrderId"]!.GetValue<string>(), ["Amount"] = body["Amount"]!.GetValue<long>(), ["Status"] = "NEW", ["TwoStage"] = stage,
                    ["Recurrent"] = body["Recurrent"]?.GetValue<string>() == "Y", ["QrCharge"] = body["DATA"]?["QR"]?.GetValue<string>() == "true" };
                return Ok(new { Status = "NEW", PaymentId = pid, OrderId = body["OrderId"]!.GetValue<string>(), Amount = body["Amount"]!.GetValue<long>(), PaymentURL = $"https://pay.example/{pid}" });
            case "GetState":
                if (id is null || !Payments.TryGetValue(id, out var p)) return Results.Json(new { Success = false, ErrorCode = "7", Message = "Платёж не найден" });
                var source = p["Sbp"]?.GetValue<bool>() == true ? "qrsbp" : "cards";
                return Ok(new { Status = p["Status"]!.GetValue<string>(), PaymentId = id, Amount = p["Amount"]!.GetValue<long>(), OrderId = p["OrderId"]!.GetValue<string>(),
                    Params = new[] { new { Key = "Route", Value = "ACQ" }, new { Key = "Source", Value = source } } });
            case "Confirm":
                Payments[id!]["Status"] = "CONFIRMED";
                return Ok(new { Status = "CONFIRMED", PaymentId = id });
            case "Cancel":
                var pay = Payments[id!];
                var status = pay["Status"]!.GetValue<string>() == "AUTHORIZED" ? "REVERSED"
                    : body["Amount"] is { } amt && amt.GetValue<long>() < pay["Amount"]!.GetValue<long>() ? "PARTIAL_REFUNDED" : "REFUNDED";
                // SBP refunds go through the payer's bank: the bank answers ASYNC_REFUNDING and reports the end later.
                if (pay["Sbp"]?.GetValue<bool>() == true && status != "REVERSED" && SbpRefundsAsync)
                {
                    pay["Status"] = "ASYNC_REFUNDING";
                    pay["RefundsTo"] = status;
                    return Ok(new { Status = "ASYNC_REFUNDING", PaymentId = id, OriginalAmount = pay["Amount"]!.GetValue<long>() });
                }
                pay["Status"] = status;
                return Ok(new { Status = status, PaymentId = id, OriginalAmount = pay["Amount"]!.GetValue<long>() });
            case "Charge":
                Payments[id!]["Status"] = ChargeStatus;
                return Ok(new { Status = ChargeStatus, PaymentId = id, Amount = Payments[id!]["Amount"]!.GetValue<long>() });
            case "GetQr":
                if (id is null || !Payments.TryGetValue(id, out var qp)) return Results.Json(new { Success = false, ErrorCode = "7", Message = "Платёж не найден" });
                qp["Sbp"] = true;
                var bankId = body["BankId"]?.GetValue<string>();
                if (bankId is not null && SbpBanks.All(b => b.BankId != bankId)) return Results.Json(new { Success = false, ErrorCode = "3", Message = "Банк не найден" });
                var payload = $"https://qr.nspk.ru/AS1000{id}?type=02&bank=100000000004&sum={qp["Amount"]!.GetValue<long>()}&cur=RUB&crc=C08B";
                // With a BankId, Data is that bank's deep link into its app (the NSPK scheme bank<member id>://).
                var data = bankId is null ? payload : $"bank{bankId}://qr.nspk.ru/AS1000{id}";
                if (qp["Recurrent"]!.GetValue<bool>())
                {
                    // Pay-and-bind QR: the binding request is made with the payment's first QR, and named by its RequestKey.
                    var key = qp["RequestKey"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
                    qp["RequestKey"] = key;
                    Bindings.TryAdd(key, new JsonObject { ["RequestKey"] = key, ["Status"] = "NEW" });
                    return Ok(new { OrderId = qp["OrderId"]!.GetValue<string>(), PaymentId = long.Parse(id), Data = data, RequestKey = key });
                }
                return Ok(new { OrderId = qp["OrderId"]!.GetValue<string>(), PaymentId = long.Parse(id), Data = data });
            case "GetAddAccountQrState":
                var rk = body["RequestKey"]?.ToString();
                if (rk is null || !Bindings.TryGetValue(rk, out var bs)) return Results.Json(new { Success = false, ErrorCode = "7", Message = "Привязка не найдена" });
                return Ok(new { RequestKey = rk, Status = bs["Status"]!.GetValue<string>(), AccountToken = bs["AccountToken"]?.GetValue<string>(),
                    BankMemberId = bs["BankMemberId"]?.GetValue<string>(), BankMemberName = bs["BankMemberName"]?.GetValue<string>() });
            case "ChargeQr":
                if (id is null || !Payments.TryGetValue(id, out var cp) || !cp["Recurrent"]!.GetValue<bool>() || !cp["QrCharge"]!.GetValue<bool>())
                    return Results.Json(new { Success = false, ErrorCode = "1", Message = "Платёж не для автоплатежа по QR" });
                var accountToken = body["AccountToken"]?.GetValue<string>();
                var bound = Bindings.Values.FirstOrDefault(b => b["AccountToken"]?.GetValue<string>() == accountToken);
                if (bound is null || bound["Status"]!.GetValue<string>() != "ACTIVE")
                    return Results.Json(new { Success = false, ErrorCode = "3015", Message = "Привязка счёта неактивна" });
                cp["Status"] = ChargeStatus;
                cp["Sbp"] = true;
                return Ok(new { Status = ChargeStatus, PaymentId = id, Amount = cp["Amount"]!.GetValue<long>(), OrderId = cp["OrderId"]!.GetValue<string>() });
            case "GetQrBankList":
                return Ok(new { Banks = SbpBanks });
            case "SbpPayTest":
                // The DEMO terminal's SBP test: pays (or rejects / lets expire) an SBP payment whose QR was made.
                if (id is null || !Payments.TryGetValue(id, out var tp) || tp["Sbp"]?.GetValue<bool>() != true)
                    return Results.Json(new { Success = false, ErrorCode = "7", Message = "QR не сформирован" });
                var rejected = body["IsRejected"]?.GetValue<bool>() == true;
                var expired = body["IsDeadlineExpired"]?.GetValue<bool>() == true;
                if (rejected && expired) return Results.Json(new { Success = false, ErrorCode = "1", Message = "IsRejected и IsDeadlineExpired взаимоисключающие" });
                tp["Status"] = rejected ? "REJECTED" : expired ? "DEADLINE_EXPIRED" : "CONFIRMED";
                return Ok(new { });
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
    public static byte[] Notification(string orderId, string paymentId, string status, long amount, string? rebillId = null, string password = Password,
        string? source = null)
    {
        var o = new JsonObject
        {
            ["TerminalKey"] = TerminalKey, ["OrderId"] = orderId, ["Success"] = status is not ("REJECTED" or "DEADLINE_EXPIRED"), ["Status"] = status,
            ["PaymentId"] = long.Parse(paymentId), ["ErrorCode"] = "0", ["Amount"] = amount,
            // An SBP payment carries the payer's masked phone in Pan, a card payment the masked card.
            ["Pan"] = source == "qrsbp" ? "+7 (916) ***-**-67" : "430000******0777",
        };
        if (rebillId is not null) o["RebillId"] = long.Parse(rebillId);
        o["Token"] = TBankToken.Compute(o, password);
        if (source is not null) o["Data"] = new JsonObject { ["Source"] = source };   // not signed, as the bank documents
        return System.Text.Encoding.UTF8.GetBytes(o.ToJsonString());
    }

    /// <summary>The account-binding notification, signed with the terminal password (shape UNCONFIRMED: docs/providers/tbank.md).</summary>
    public byte[] BindingNotification(string requestKey, string password = Password)
    {
        var b = Bindings[requestKey];
        var o = new JsonObject
        {
            ["TerminalKey"] = TerminalKey, ["NotificationType"] = "LINKACCOUNT", ["RequestKey"] = requestKey, ["Status"] = b["Status"]!.GetValue<string>(),
            ["Success"] = true, ["ErrorCode"] = "0",
        };
        foreach (var f in new[] { "AccountToken", "BankMemberId", "BankMemberName" })
            if (b[f] is { } v) o[f] = v.GetValue<string>();
        o["Token"] = TBankToken.Compute(o, password);
        return System.Text.Encoding.UTF8.GetBytes(o.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
