using Microsoft.Extensions.Time.Testing;
using Paylink.Core.Messaging;
using Paylink.Providers.Channels.Telegram;

namespace Paylink.Tests.Messaging;

public class TelegramSendLimiterTests
{
    [Fact]
    public void PerChatOnePerSecond_GlobalSpacing_AndRefusesBeyondMaxWait()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero));
        var limiter = new Paylink.Providers.Channels.ChannelSendLimiter(clock, TimeSpan.FromSeconds(1), 30);
        var max = TimeSpan.FromSeconds(5);
        Assert.True(limiter.TryReserve("bot", "1", max, out var w1));
        Assert.Equal(TimeSpan.Zero, w1);
        Assert.True(limiter.TryReserve("bot", "2", max, out var w2));
        Assert.Equal(TimeSpan.FromTicks(TimeSpan.TicksPerSecond / 30), w2);   // global spacing
        Assert.True(limiter.TryReserve("bot", "1", max, out var w3));
        Assert.Equal(TimeSpan.FromSeconds(1), w3);                             // same chat: one per second
        Assert.True(limiter.TryReserve("other-bot", "1", max, out var w4));
        Assert.Equal(TimeSpan.Zero, w4);                                       // limits are per bot
        for (var i = 0; i < 4; i++) Assert.True(limiter.TryReserve("bot", "1", max, out _));
        Assert.False(limiter.TryReserve("bot", "1", max, out var tooLong));    // 6 s away: the job retries later
        Assert.Equal(TimeSpan.FromSeconds(6), tooLong);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(limiter.TryReserve("bot", "1", max, out var w5));
        Assert.Equal(TimeSpan.Zero, w5);
    }

    [Fact]
    public void ThirtyChats_TakeOneSecondOfSlots()
    {
        var clock = new FakeTimeProvider();
        var limiter = new Paylink.Providers.Channels.ChannelSendLimiter(clock, TimeSpan.FromSeconds(1), 30);
        var waits = Enumerable.Range(0, 31).Select(i => { limiter.TryReserve("bot", i.ToString(), TimeSpan.FromSeconds(5), out var w); return w; }).ToList();
        Assert.True(waits[29] < TimeSpan.FromSeconds(1));
        Assert.True(waits[30] >= TimeSpan.FromSeconds(0.99));
    }
}

public class ReminderPolicyTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Yekaterinburg = TimeZoneInfo.FindSystemTimeZoneById("Asia/Yekaterinburg");

    [Fact]
    public void Defaults_ThirtyMinutesThenNextDayEleven_LocalTime()
    {
        var p = ReminderPolicy.Default;
        var sent = new DateTimeOffset(2026, 11, 18, 7, 0, 0, TimeSpan.Zero);                      // 10:00 MSK
        Assert.Equal(sent.AddMinutes(30), p.DueAt(0, sent, Moscow));
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero), p.DueAt(1, sent, Moscow));   // 11:00 MSK
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 6, 0, 0, TimeSpan.Zero), p.DueAt(1, sent, Yekaterinburg)); // 11:00 +05
    }

    [Fact]
    public void QuietHours_ShiftLaterToMorning_OrEarlierToEvening()
    {
        var p = ReminderPolicy.Default;
        var lateEvening = new DateTimeOffset(2026, 11, 18, 17, 45, 0, TimeSpan.Zero);             // 20:45 MSK, +30 min = 21:15
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 6, 0, 0, TimeSpan.Zero), p.DueAt(0, lateEvening, Moscow)); // 09:00 MSK next day
        var night = new DateTimeOffset(2026, 11, 18, 23, 0, 0, TimeSpan.Zero);                    // 02:00 MSK
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 6, 0, 0, TimeSpan.Zero), p.OutOfQuietHours(night, Moscow, later: true));
        Assert.Equal(new DateTimeOffset(2026, 11, 18, 17, 59, 0, TimeSpan.Zero), p.OutOfQuietHours(night, Moscow, later: false)); // 20:59 MSK
        var day = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(day, p.OutOfQuietHours(day, Moscow, later: true));
    }

    [Fact]
    public void Validate_NamesTheField()
    {
        var bad = ReminderPolicy.Default with { LinkSteps = [new(AfterMinutes: 0)], QuietFrom = "9pm", Escalation = ["same", "pigeon"] };
        var r = bad.Validate(["telegram", "webchat"]);
        Assert.False(r.IsSuccess);
        Assert.Contains("linkSteps[0].afterMinutes", r.Error!.Fields!.Keys);
        Assert.Contains("quietFrom", r.Error.Fields.Keys);
        Assert.Contains("escalation[1]", r.Error.Fields.Keys);
        Assert.Equal("manager", (ReminderPolicy.Default with { Escalation = ["telegram", "manager"] }).ChannelForStep(5));
    }
}

public class MessageTemplatesTests
{
    [Fact]
    public void Validate_UnknownAndMalformedPlaceholders()
    {
        Assert.True(MessageTemplates.Validate("{{client.name}}, оплатите {{ amount }}: {{link}}").IsSuccess);
        Assert.Contains("{{client.surname}}", MessageTemplates.Validate("{{client.surname}}").Error!.Message);
        Assert.False(MessageTemplates.Validate("оплатите {{amount").IsSuccess);
        Assert.False(MessageTemplates.Validate("   ").IsSuccess);
    }

    [Fact]
    public void Render_FillsValues_GreetsWithoutName_TidiesEmptyOnes()
    {
        var v = new TemplateValues { ["amount"] = "2\u00A0500,00\u00A0₽", ["service"] = "Маникюр" };
        Assert.Equal("Здравствуйте, напоминаем: счёт на 2\u00A0500,00\u00A0₽ (Маникюр) ещё не оплачен. Оплатить:",
            MessageTemplates.Render(TemplateEvents.Defaults[TemplateEvents.Reminder], v, "ru"));
        Assert.Equal("Hello, pay", MessageTemplates.Render("{{client.name}}, pay {{order}}", new TemplateValues(), "en"));
    }

    [Fact]
    public void EveryDefault_IsValid_InBothLanguages()
    {
        foreach (var (evt, ru) in TemplateEvents.Defaults)
        {
            Assert.True(MessageTemplates.Validate(ru).IsSuccess, evt);
            var en = Paylink.Core.Localization.Texts.English(ru);
            Assert.NotNull(en);
            Assert.True(MessageTemplates.Validate(en).IsSuccess, evt);
        }
    }
}
