using Paylink.Core.Documents;

namespace Paylink.Tests.Documents;

public sealed class RequisiteChecksTests
{
    [Theory]
    [InlineData("7707083893", true)]     // ПАО Сбербанк (public)
    [InlineData("7736207543", true)]     // ООО «Яндекс» (public)
    [InlineData("500123456750", true)]   // 12 digits, both check digits computed by the ФНС algorithm
    [InlineData("7707083894", false)]    // last digit changed
    [InlineData("500123456751", false)]  // second check digit wrong
    [InlineData("500123456740", false)]  // first check digit wrong
    [InlineData("770708389", false)]
    [InlineData("77070838931", false)]
    [InlineData("77O7083893", false)]
    [InlineData(null, false)]
    public void IsValidInn_ChecksDigits(string? inn, bool valid) => Assert.Equal(valid, RequisiteChecks.IsValidInn(inn));

    [Theory]
    [InlineData("773601001", true)]
    [InlineData("7736AB001", true)]
    [InlineData("77360100", false)]
    [InlineData("7736ab001", false)]
    [InlineData("A73601001", false)]
    public void IsValidKpp_ChecksShape(string kpp, bool valid) => Assert.Equal(valid, RequisiteChecks.IsValidKpp(kpp));

    [Theory]
    [InlineData("1027700132195", true)]    // Сбербанк
    [InlineData("1027700229193", true)]    // Яндекс
    [InlineData("304500112000002", true)]  // ОГРНИП: first 14 digits mod 13 mod 10
    [InlineData("1027700132196", false)]
    [InlineData("304500112000003", false)]
    [InlineData("10277001321", false)]
    public void IsValidOgrn_ChecksDigit(string ogrn, bool valid) => Assert.Equal(valid, RequisiteChecks.IsValidOgrn(ogrn));

    [Theory]
    [InlineData("044525225", "30101810400000000225", true)]   // Сбербанк, Москва (public pair)
    [InlineData("044525974", "30101810145250000974", true)]   // Т-Банк (public pair)
    [InlineData("044525225", "30101810400000000226", false)]  // a digit off
    [InlineData("044525974", "30101810400000000225", false)]  // another bank's account
    [InlineData("044525225", "40702810638000000000", false)]  // not a correspondent account
    [InlineData("144525225", "30101810400000000225", false)]  // not a Russian БИК
    public void IsValidCorrespondentAccount_ChecksTheKeyAgainstTheBic(string bic, string account, bool valid) =>
        Assert.Equal(valid, RequisiteChecks.IsValidCorrespondentAccount(account, bic));

    [Theory]
    // Keys computed by hand: "225" + account, weights 7,1,3 repeated, sum mod 10 = 0.
    [InlineData("044525225", "40702810638000000000", true)]
    [InlineData("044525225", "40702810200000012345", true)]
    [InlineData("044525225", "40702810938000000000", false)]
    [InlineData("044525974", "40702810638000000000", false)]
    [InlineData("044525225", "4070281063800000000", false)]
    public void IsValidSettlementAccount_ChecksTheKeyAgainstTheBic(string bic, string account, bool valid) =>
        Assert.Equal(valid, RequisiteChecks.IsValidSettlementAccount(account, bic));

    [Fact]
    public void IsValidSettlementAccount_EverySingleDigitTypoIsCaught()
    {
        const string good = "40702810638000000000";
        for (var i = 0; i < good.Length; i++)
            for (var d = '0'; d <= '9'; d++)
            {
                if (d == good[i]) continue;
                var typo = good[..i] + d + good[(i + 1)..];
                Assert.False(RequisiteChecks.IsValidSettlementAccount(typo, "044525225"), typo);
            }
    }

    private static Requisites Company() => new("ООО «Ромашка»", "7707083893", "773601001", "1027700132195", "г. Москва, ул. Ленина, д. 1",
        "ПАО Сбербанк", "044525225", "30101810400000000225", "40702810638000000000", "Иванов Иван Иванович", "Генеральный директор", "vat22");

    [Fact]
    public void Validate_Company_Ok()
    {
        var r = (Company() with { Name = "  ООО «Ромашка» ", Kpp = "7736ab001" }).Validate();
        Assert.True(r.IsSuccess, r.Error?.Message);
        Assert.Equal("ООО «Ромашка»", r.Value.Name);
        Assert.Equal("7736AB001", r.Value.Kpp);
        Assert.Equal(Requisites.DefaultDueDays, r.Value.DueDays);
    }

    [Fact]
    public void Validate_SoleTrader_NeedsNoKppButRefusesOne()
    {
        var ip = Company() with { Inn = "500123456750", Kpp = null, Ogrn = "304500112000002", Vat = null };
        Assert.True(ip.Validate().IsSuccess);
        Assert.Equal("none", ip.Validate().Value.Vat);
        Assert.Contains("kpp", (ip with { Kpp = "773601001" }).Validate().Error!.Fields!.Keys);
        Assert.Contains("ogrn", (ip with { Ogrn = "1027700132195" }).Validate().Error!.Fields!.Keys);
    }

    [Theory]
    [InlineData("inn", "7707083894")]
    [InlineData("kpp", "")]
    [InlineData("ogrn", "1027700132196")]
    [InlineData("bic", "12345")]
    [InlineData("correspondentAccount", "30101810400000000226")]
    [InlineData("account", "40702810938000000000")]
    [InlineData("vat", "vat20")]
    [InlineData("name", "")]
    [InlineData("bankName", "Банк|Другой")]
    public void Validate_BadField_NamesIt(string field, string value)
    {
        var r = Company();
        r = field switch
        {
            "inn" => r with { Inn = value }, "kpp" => r with { Kpp = value }, "ogrn" => r with { Ogrn = value }, "bic" => r with { Bic = value },
            "correspondentAccount" => r with { CorrespondentAccount = value }, "account" => r with { Account = value }, "vat" => r with { Vat = value },
            "name" => r with { Name = value }, _ => r with { BankName = value },
        };
        var result = r.Validate();
        Assert.False(result.IsSuccess);
        Assert.Contains(field, result.Error!.Fields!.Keys);
    }
}
