namespace Paylink.Tests.Assistant;

public sealed class ServiceMatcherTests
{
    [Theory]
    [InlineData("хочу на маникюр", "manicure")]
    [InlineData("маникюрчик можно?", "manicure")]
    [InlineData("на маник завтра", "manicure")]
    [InlineData("маникур хочу", "manicure")]
    [InlineData("маникюр с покрытием", "manicure-gel")]
    [InlineData("стрижку женскую", "haircut-women")]
    [InlineData("мужскую стрижку", "haircut-men")]
    [InlineData("педекюр", "pedicure")]
    [InlineData("реснички нарастить", "lashes")]
    [InlineData("укладочку", "styling")]
    [InlineData("хочу окраситься", "coloring")]
    [InlineData("маникюp с латинской p", "manicure")]
    [InlineData("book a manicure tomorrow at 3pm", "manicure")]
    public void Match_SalonWording_FindsService(string text, string expected)
    {
        Assert.Equal(expected, AssistantTestData.Analyze(text).ServiceId);
    }

    [Theory]
    [InlineData("хочу подстричься")]
    [InlineData("запишите на стрижку")]
    [InlineData("how much is a haircut")]
    public void Match_HaircutWithoutKind_IsAmbiguousWithCandidates(string text)
    {
        var a = AssistantTestData.Analyze(text);
        Assert.Null(a.ServiceId);
        Assert.Equal(["haircut-kids", "haircut-men", "haircut-women"], a.Candidates.Select(c => c.ServiceId).Order().ToArray());
    }

    [Theory]
    [InlineData("clinic", "нужно сдать анализ крови", "blood-test")]
    [InlineData("clinic", "на узи живота", "ultrasound")]
    [InlineData("trainer", "хочу на персоналку", "personal-training")]
    [InlineData("consultant", "нужна помощь с декларацией", "tax-return")]
    [InlineData("shop", "хочу свечку", "candle")]
    public void Match_OtherCatalogs_FindsService(string catalog, string text, string expected)
    {
        Assert.Equal(expected, AssistantTestData.Analyze(text, catalog).ServiceId);
    }

    [Fact]
    public void Match_TwoServicesOnDifferentWords_FirstNamedLeads()
    {
        var a = AssistantTestData.Analyze("закажу чай и доставку", "shop");
        Assert.Equal("tea", a.ServiceId);
        Assert.Contains(a.Candidates, c => c.ServiceId == "delivery");
    }

    [Theory]
    [InlineData("скиньте реквизиты для оплаты")]
    [InlineData("да, подходит")]
    [InlineData("проверьте пожалуйста")]
    public void Match_NoServiceWords_FindsNothing(string text)
    {
        var a = AssistantTestData.Analyze(text, "consultant");
        Assert.Null(a.ServiceId);
        Assert.Empty(a.Candidates);
    }
}
