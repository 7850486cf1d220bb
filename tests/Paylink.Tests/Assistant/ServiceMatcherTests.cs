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

    private static readonly (string Id, string Name, IReadOnlyList<string> Aliases)[] Sized =
    [
        ("tyres-small", "Шиномонтаж R13-R15", []), ("tyres-big", "Шиномонтаж R16-R18", []),
        ("wash-small", "Мойка квартиры до 40 м²", []), ("wash-big", "Мойка квартиры 40-80 м²", []),
        ("tidy-1", "Уборка 1-комн. квартиры", []), ("tidy-3", "Уборка 3-комн. квартиры", []),
        ("tidy-after", "Уборка после переезда", []),
    ];

    [Theory]
    [InlineData("шиномонтаж колеса 14", "tyres-small")]
    [InlineData("шиномонтаж r17", "tyres-big")]
    [InlineData("мойка квартиры 35 метров", "wash-small")]
    [InlineData("мойка квартиры 65 квадратов", "wash-big")]
    [InlineData("мойка квартиры до 40 метров", "wash-small")]
    [InlineData("уборка однушки", "tidy-1")]
    [InlineData("уборка трехкомнатной квартиры", "tidy-3")]
    [InlineData("уборка трешки", "tidy-3")]
    public void Match_NumberInMessage_PicksTheEntryWhoseRangeFits(string text, string expected)
    {
        Assert.Equal(expected, new Paylink.Assistant.Matching.ServiceMatcher(Sized).Match(new Paylink.Assistant.Text.MessageText(text)).ServiceId);
    }

    [Theory]
    [InlineData("шиномонтаж")]
    [InlineData("шиномонтаж колеса 21")]
    [InlineData("уборка квартиры")]
    public void Match_NoNumberOrNoneFits_StaysAmbiguous(string text)
    {
        var r = new Paylink.Assistant.Matching.ServiceMatcher(Sized).Match(new Paylink.Assistant.Text.MessageText(text));
        Assert.Null(r.ServiceId);
        Assert.True(r.Candidates.Count > 1);
    }

    [Fact]
    public void Match_PrepositionAfter_DoesNotNameAService()
    {
        // "после обеда" is a time of day, not "Уборка после переезда".
        var r = new Paylink.Assistant.Matching.ServiceMatcher(Sized).Match(new Paylink.Assistant.Text.MessageText("давайте лучше после обеда"));
        Assert.Null(r.ServiceId);
        Assert.Empty(r.Candidates);
    }

    [Theory]
    [InlineData("к Наталье на пятницу", "Наталья")]
    [InlineData("у Натальи можно?", "Наталья")]
    [InlineData("к Игорю", "Игорь")]
    [InlineData("с Анной", "Анна")]
    public void StaffMatch_SoftSignNames_MatchInEveryCase(string text, string expected)
    {
        var staff = new Paylink.Assistant.Matching.StaffMatcher(["Наталья", "Игорь", "Анна"]);
        Assert.Equal(expected, staff.Match(new Paylink.Assistant.Text.MessageText(text)));
    }
}
