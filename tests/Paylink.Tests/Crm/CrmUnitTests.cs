using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Common;
using Paylink.Core.Crm;
using Paylink.Core.Payments;
using Paylink.Providers.Crm.Bitrix24;

namespace Paylink.Tests.Crm;

public sealed class CrmUnitTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(DealStage.New, DealStage.InvoiceSent, true)]
    [InlineData(DealStage.New, DealStage.Refunded, false)]
    [InlineData(DealStage.Paid, DealStage.InvoiceSent, false)]
    [InlineData(DealStage.Paid, DealStage.Refunded, true)]
    [InlineData(DealStage.VisitDone, DealStage.NoShow, false)]
    [InlineData(DealStage.NoShow, DealStage.Refunded, true)]
    [InlineData(DealStage.Refunded, DealStage.Paid, false)]
    public void Deal_MoveTo_FollowsPipeline(DealStage from, DealStage to, bool legal)
    {
        var deal = Deal.Create("m", "c", "t", new Money(100, "RUB"), "api", Clock);
        if (from != DealStage.New)
        {
            var path = from switch
            {
                DealStage.Paid => new[] { DealStage.Paid },
                DealStage.VisitDone => [DealStage.VisitDone],
                DealStage.NoShow => [DealStage.NoShow],
                DealStage.Refunded => [DealStage.Paid, DealStage.Refunded],
                _ => [from],
            };
            foreach (var s in path) Assert.True(deal.MoveTo(s, Clock.GetUtcNow()).Value);
        }
        var moved = deal.MoveTo(to, Clock.GetUtcNow());
        Assert.Equal(legal, moved.IsSuccess);
        Assert.Equal(legal ? to : from, deal.Stage);
        Assert.False(deal.MoveTo(deal.Stage, Clock.GetUtcNow()).Value);
    }

    [Fact]
    public void Deal_IsLeadUntilInvoiced()
    {
        var deal = Deal.Create("m", "c", "t", new Money(100, "RUB"), "api", Clock);
        Assert.True(deal.IsLead);
        deal.MoveTo(DealStage.InvoiceSent, Clock.GetUtcNow());
        Assert.False(deal.IsLead);
    }

    [Theory]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("-1500,00", "-1500,00")]
    [InlineData("-x", "'-x")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("@cmd", "'@cmd")]
    public void Export_Cell_QuotesAndDefusesFormulas(string value, string expected) => Assert.Equal(expected, ExportPayments.Cell(value));

    [Theory]
    [InlineData(150000, "1500,00")]
    [InlineData(-50005, "-500,05")]
    [InlineData(0, "0,00")]
    public void Export_Amount_DecimalComma(long minor, string expected) => Assert.Equal(expected, ExportPayments.Amount(minor));

    [Fact]
    public void Bitrix24Settings_NormalisesAndMasksWebhookUrl()
    {
        var ok = Bitrix24Settings.Validate(new JsonObject { ["webhookUrl"] = "https://example.bitrix24.ru/rest/7/abcdefgh12345678", ["stages"] = new JsonObject { ["paid"] = "C1:WON" } });
        Assert.True(ok.IsSuccess);
        Assert.Equal("https://example.bitrix24.ru/rest/7/abcdefgh12345678/", ok.Value["webhookUrl"]!.GetValue<string>());
        var s = Bitrix24Settings.Parse(ok.Value);
        Assert.Equal(7, s.WebhookUserId);
        Assert.Equal("C1:WON", s.StageFor(DealStage.Paid));
        Assert.Null(s.StageFor(DealStage.Refunded));
        Assert.Equal("https://example.bitrix24.ru/rest/7/****5678/", Bitrix24Settings.Mask(ok.Value)["webhookUrl"]!.GetValue<string>());
        Assert.False(Bitrix24Settings.Validate(new JsonObject { ["webhookUrl"] = "http://example.bitrix24.ru/rest/7/abc/" }).IsSuccess);
        Assert.False(Bitrix24Settings.Validate(new JsonObject { ["webhookUrl"] = "https://example.bitrix24.ru/rest/7/abc/?x=1" }).IsSuccess);
        Assert.True(Bitrix24Settings.Validate(new JsonObject { ["webhookUrl"] = "http://127.0.0.1:5000/rest/1/abc/" }).IsSuccess);
    }

    [Theory]
    [InlineData(503, "QUERY_LIMIT_EXCEEDED", true, "QUERY_LIMIT_EXCEEDED")]
    [InlineData(429, "OPERATION_TIME_LIMIT", true, "OPERATION_TIME_LIMIT")]
    [InlineData(401, "NO_AUTH_FOUND", false, "auth")]
    [InlineData(401, "expired_token", false, "auth")]
    [InlineData(403, "insufficient_scope", false, "auth")]
    [InlineData(400, "", false, "not_found")]
    [InlineData(502, null, true, "http_502")]
    public void Bitrix24Client_ClassifiesErrors(int status, string? code, bool transient, string expected)
    {
        var f = Bitrix24Client.Classify("crm.deal.update", status, code, code == "" ? "Not found" : null, null);
        Assert.Equal(transient, f.Transient);
        Assert.Equal(expected, f.Code);
    }

    [Fact]
    public void Bitrix24_PhoneVariants_CoverUsualRussianSpellings() =>
        Assert.Equal(["+79161234567", "79161234567", "89161234567"], Bitrix24Connector.PhoneVariants("+79161234567"));
}
