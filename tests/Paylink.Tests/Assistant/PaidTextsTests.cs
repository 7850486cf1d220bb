using Paylink.Assistant.Conversations;
using Paylink.Core.Common;

namespace Paylink.Tests.Assistant;

/// <summary>The payment confirmation the client reads in the chat, in the conversation's language.</summary>
public sealed class PaidTextsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);   // 15:00 Moscow

    [Fact]
    public void Confirmation_RussianBooking_NamesServiceTimeAndAmount() =>
        Assert.Equal("Оплата 540 ₽ получена, спасибо! Запись подтверждена: Маникюр, 20 ноября 2026, 15:00.",
            PaidTexts.Confirmation("ru", AssistantTestData.Moscow, new Money(54000, "RUB"), "Маникюр", ("Маникюр", Start, true), null).Replace('\u00A0', ' '));

    [Fact]
    public void Confirmation_English_WithReceipt() =>
        Assert.Equal("Payment of ₽540 received, thank you! Your booking is confirmed: Manicure, 20 November 2026, 15:00. Receipt: https://r.example/1",
            PaidTexts.Confirmation("en", AssistantTestData.Moscow, new Money(54000, "RUB"), "Manicure", ("Manicure", Start, true), "https://r.example/1").Replace('\u00A0', ' '));

    [Fact]
    public void Confirmation_WithoutBooking_SaysWhatWasPaidFor() =>
        Assert.Equal("Оплата 1 800,50 ₽ получена, спасибо! За: Абонемент.",
            PaidTexts.Confirmation("ru", AssistantTestData.Moscow, new Money(180050, "RUB"), "Абонемент", null, null).Replace('\u00A0', ' '));
}
