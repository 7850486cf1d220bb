using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Receipts;
using Paylink.Providers.Receipts.MoyNalog;

namespace Paylink.Tests.Receipts;

public sealed class SelfEmployedReceiptTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    private static SelfEmployedReceipt Planned() =>
        SelfEmployedReceipt.Plan("mch_1", "pay_1", "lnk_1", 1, 250000, Clock.GetUtcNow(), "[]", "individual", null, null, Clock);

    [Fact]
    public void Validate_NpdWithGatewayReceipts_RefusedNamingReceiptsEnabled()
    {
        var r = FiscalSettings.Validate(true, "npd", null, null, null, null, null);
        Assert.False(r.IsSuccess);
        Assert.True(r.Error!.Fields!.ContainsKey("receiptsEnabled"));
        var ok = FiscalSettings.Validate(false, "npd", null, null, null, null, null).Value;
        Assert.True(ok.IsSelfEmployed);
        Assert.False(ok.GatewayReceipts);
        Assert.True(FiscalSettings.Validate(true, "usn_income", null, null, null, null, null).Value.GatewayReceipts);
    }

    [Fact]
    public void StatusMachine_RegisterThenCancel_AndIllegalMovesRefused()
    {
        var r = Planned();
        Assert.Equal(SelfEmployedReceiptStatus.Queued, r.Status);
        Assert.False(r.StartCancelling(Clock.GetUtcNow()).IsSuccess);
        Assert.False(r.Registered("u1", "url", Clock.GetUtcNow()).IsSuccess);   // never sent: cannot be registered
        Assert.True(r.StartSending("npd_1", Clock.GetUtcNow().AddMinutes(2)).IsSuccess);
        Assert.True(r.IsClaimed(Clock.GetUtcNow()));
        Assert.False(r.StartSending("npd_1", Clock.GetUtcNow()).IsSuccess);   // no second send while the first is unknown
        Assert.True(r.Registered("u1", "url", Clock.GetUtcNow()).Value);
        Assert.False(r.Registered("u1", "url", Clock.GetUtcNow()).Value);     // the same answer twice changes nothing
        Assert.False(r.IsClaimed(Clock.GetUtcNow()));
        Assert.False(r.Fail("x").IsSuccess);
        Assert.True(r.StartCancelling(Clock.GetUtcNow()).IsSuccess);
        Assert.True(r.Cancelled(Clock.GetUtcNow()).Value);
        Assert.False(r.IsLive);
        Assert.False(r.StartCancelling(Clock.GetUtcNow()).IsSuccess);
        Assert.False(r.StartSending("npd_1", Clock.GetUtcNow()).IsSuccess);
    }

    [Fact]
    public void StatusMachine_UnknownOutcome_BackToQueuedOnlyFromSending_QueuedWithdrawnWithoutCall()
    {
        var r = Planned();
        r.StartSending("npd_1", Clock.GetUtcNow());
        Assert.True(r.NotSent("lookup found nothing").IsSuccess);
        Assert.Equal(SelfEmployedReceiptStatus.Queued, r.Status);
        Assert.Equal(1, r.Attempts);
        Assert.True(r.Cancelled(Clock.GetUtcNow()).Value);   // refunded before it was ever registered
        var failed = Planned();
        failed.StartSending("npd_1", Clock.GetUtcNow());
        Assert.True(failed.Fail("refused").IsSuccess);
        Assert.False(failed.NotSent(null).IsSuccess);
        Assert.False(failed.IsLive);
    }

    [Fact]
    public void MoyNalogSettings_TwoModes_ValidatedAndMasked()
    {
        var p = new MoyNalogReceipts(new NoHttp(), Options.Create(new MoyNalogOptions()), Clock);
        var pw = p.ValidateSettings(new JsonObject { ["inn"] = "500100732259", ["password"] = "secret-pass" });
        Assert.True(pw.IsSuccess);
        Assert.Equal(21, pw.Value["deviceId"]!.GetValue<string>().Length);   // a stable random device id is made once
        var masked = p.MaskSettings(pw.Value).ToJsonString();
        Assert.DoesNotContain("secret-pass", masked);
        var token = p.ValidateSettings(new JsonObject { ["inn"] = "500100732259", ["refreshToken"] = "rt-0123456789", ["deviceId"] = "dev-1" });
        Assert.Equal("refreshToken", p.MaskSettings(token.Value)["mode"]!.GetValue<string>());
        Assert.DoesNotContain("rt-0123456789", p.MaskSettings(token.Value).ToJsonString());
        var bad = p.ValidateSettings(new JsonObject { ["inn"] = "7707083893", ["refreshToken"] = "x", ["password"] = "y" });
        Assert.True(bad.Error!.Fields!.ContainsKey("settings.inn"));
        Assert.True(bad.Error.Fields.ContainsKey("settings.refreshToken"));
        Assert.True(bad.Error.Fields.ContainsKey("settings.deviceId"));
        Assert.Equal("https://lknpd.nalog.ru/api/v1/receipt/500100732259/20abc/print", p.ReceiptUrl("500100732259", "20abc"));
    }

    [Fact]
    public void Tagged_KeepsTheTag_WithinTheNameLimit()
    {
        Assert.Equal("Стрижка [npr_1]", MoyNalogReceipts.Tagged("Стрижка", "npr_1"));
        var longName = MoyNalogReceipts.Tagged(new string('я', 300), "npr_01ABC");
        Assert.Equal(256, longName.Length);
        Assert.EndsWith(" [npr_01ABC]", longName);
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no calls in unit tests");
    }
}
