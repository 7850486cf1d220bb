using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Receipts;
using Paylink.Providers.Gateways.TBank;
using Paylink.Providers.Gateways.YooKassa;

namespace Paylink.Tests.Gateways;

/// <summary>Published vectors from shared/protocols (T-Bank token, Stripe signature) and the worked 54-FZ receipts.</summary>
public sealed class GatewayVectorsTests
{
    [Fact]
    public void TBankToken_RequestVector_MatchesPublished()
    {
        var body = JsonDocument.Parse("""
            {"TerminalKey":"MerchantTerminalKey","Amount":19200,"OrderId":"21090","Description":"Подарочная карта на 1000 рублей",
             "DATA":{"Phone":"+71234567890","Email":"a@test.com"},"Receipt":{"Email":"a@test.ru","Taxation":"osn","Items":[]}}
            """).RootElement;
        Assert.Equal("0024a00af7c350a3a67ca168ce06502aa72772456662e38696d48b56ee9c97d9", TBankToken.Compute(body, "usaf8fw8fsw21g"));
    }

    [Fact]
    public void TBankToken_NotificationVector_MatchesPublishedAndVerifies()
    {
        var json = """
            {"TerminalKey":"1321054611234DEMO","OrderId":"201709","Success":true,"Status":"AUTHORIZED","PaymentId":8742591,"ErrorCode":"0",
             "Amount":9855,"CardId":322264,"Pan":"430000******0777","ExpDate":"1122","RebillId":101709,
             "Token":"b906d28e76c6428e37b25fcf86c0adc52c63d503013fdd632e300593d165766b"}
            """;
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("b906d28e76c6428e37b25fcf86c0adc52c63d503013fdd632e300593d165766b", TBankToken.Compute(root, "Dfsfh56dgKl"));
        Assert.True(TBankToken.Verify(root, "Dfsfh56dgKl"));
        Assert.False(TBankToken.Verify(root, "wrong"));
        Assert.False(TBankToken.Verify(JsonDocument.Parse(json.Replace("9855", "1")).RootElement, "Dfsfh56dgKl"));
    }

    [Fact]
    public void TBankToken_SelfComputedVector()
    {
        var body = new JsonObject { ["TerminalKey"] = "MerchantTerminalKey", ["Amount"] = 19200, ["OrderId"] = "00000", ["Description"] = "Подарочная карта на 1000 рублей" };
        Assert.Equal("72dd466f8ace0a37a1f740ce5fb78101712bc0665d91a8108c7c8a0ccd426db2", TBankToken.Compute(body, "11111111111111"));
    }

    private const string StripeVectorPayload = "{\n  \"id\": \"evt_123\",\n  \"object\": \"event\",\n  \"account\": \"acct_123\",\n  \"api_version\": \"2017-05-25\",\n  \"created\": 1533204620,\n  \"data\": {\n    \"object\": {\n      \"id\": \"cus_123\",\n      \"object\": \"customer\",\n      \"created\": 123456789,\n      \"email\": \"test@stripe.com\",\n      \"livemode\": false,\n      \"metadata\": {}\n    }\n  },\n  \"livemode\": false,\n  \"pending_webhooks\": 1,\n  \"request\": {\n    \"id\": \"req_123\",\n    \"idempotency_key\": \"idempotency-key-123\"\n  },\n  \"type\": \"customer.created\"\n}\n";

    [Fact]
    public void StripeSignature_OfficialVector_ComputesAndValidatesWithInjectedClock()
    {
        Assert.Equal(484, Encoding.UTF8.GetByteCount(StripeVectorPayload));
        Assert.Equal("2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7",
            Stripe.EventUtility.ComputeSignature("webhook_secret", "1533204620", StripeVectorPayload));
        var header = "t=1533204620,v1=2220f87ef101a04665f11cdf770523143f875572008577fa0f20882ddb9cc3c7,v0=63f3a72374a733066c4be69ed7f8e5ac85c22c9f0a6a612ab9a025a9e4ee7eef";
        Stripe.EventUtility.ValidateSignature(StripeVectorPayload, header, "webhook_secret", 300, 1533204620 + 100);
        Assert.Throws<Stripe.StripeException>(() => Stripe.EventUtility.ValidateSignature(StripeVectorPayload, header, "webhook_secret", 300, 1533204620 + 400));
        Assert.Throws<Stripe.StripeException>(() => Stripe.EventUtility.ValidateSignature(StripeVectorPayload + "x", header, "webhook_secret", 300, 1533204620 + 100));
    }

    [Fact]
    public void StripeSignature_SelfComputedVector() =>
        Assert.Equal("c561c5814cba8a0cd366ee43292d205cf59c9635ad120894be1ef80c0af72b76", Stripe.EventUtility.ComputeSignature("test_secret", "1700000000", "{}"));

    private static (FiscalSettings, PaymentLink) Consultation()
    {
        var fiscal = FiscalSettings.Validate(true, "usn_income", "none", "full_payment", "service", "piece", "1.2").Value;
        var link = TestLinks.Create(150000, "Консультация");
        return (fiscal, link);
    }

    [Fact]
    public void Receipt_TBank_MatchesWorkedExampleFieldByField()
    {
        var (fiscal, link) = Consultation();
        var json = TBankReceipt.ToJson(ReceiptBuilder.ForPayment(fiscal, link, "buyer@example.com", null));
        var expected = JsonNode.Parse("""
            {"FfdVersion":"1.2","Email":"buyer@example.com","Taxation":"usn_income",
              "Items":[{"Name":"Консультация","Price":150000,"Quantity":1,"Amount":150000,
                        "Tax":"none","PaymentMethod":"full_payment","PaymentObject":"service",
                        "MeasurementUnit":"шт"}]}
            """)!;
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
    }

    [Fact]
    public void Receipt_YooKassa_MatchesWorkedExampleFieldByField()
    {
        var (fiscal, link) = Consultation();
        var json = YooKassaReceipt.ToJson(ReceiptBuilder.ForPayment(fiscal, link, "buyer@example.com", null));
        var expected = JsonNode.Parse("""
            {"customer":{"email":"buyer@example.com"},"tax_system_code":2,
              "items":[{"description":"Консультация","quantity":"1.00",
                        "amount":{"value":"1500.00","currency":"RUB"},"vat_code":1,
                        "payment_mode":"full_payment","payment_subject":"service","measure":"piece"}]}
            """)!;
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
    }

    [Fact]
    public void Receipt_PartialRefund_SumsToRefundAndKeepsPriceTimesQuantity()
    {
        var fiscal = FiscalSettings.Validate(true, "osn", "vat22", "full_prepayment", "service", "piece", "1.2").Value;
        var link = TestLinks.Create(300000, "Визит", ("Стрижка", 1, 100000), ("Окрашивание", 2, 200000));
        var r = ReceiptBuilder.ForRefund(fiscal, link, null, "+79161234567", 150000, "full_prepayment");
        Assert.Equal(150000, r.Total);
        Assert.All(r.Items, i => Assert.Equal(i.AmountMinor, i.PriceMinor * i.Quantity));
        Assert.Equal(["Стрижка", "Окрашивание"], r.Items.Select(i => i.Name));
        Assert.Equal(ReceiptKind.Refund, r.Kind);
        var settle = ReceiptBuilder.ForSettlement(fiscal, link, null, "+79161234567", 300000);
        Assert.All(settle.Items, i => Assert.Equal("full_payment", i.PaymentMethod));
        Assert.Equal(11, YooKassaReceipt.ToJson(settle)["items"]![0]!["vat_code"]!.GetValue<int>());
        Assert.Equal("79161234567", YooKassaReceipt.ToJson(settle)["customer"]!["phone"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("185.71.76.5", true)]
    [InlineData("77.75.156.11", true)]
    [InlineData("::ffff:185.71.77.1", true)]
    [InlineData("2a02:5180:0:1509::1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData(null, false)]
    public void YooKassaAllowlist_PublishedNetworks(string? ip, bool allowed) => Assert.Equal(allowed, new YooKassaOptions().IsAllowed(ip));
}
