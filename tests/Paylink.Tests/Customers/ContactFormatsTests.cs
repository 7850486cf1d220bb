using Paylink.Core.Customers;

namespace Paylink.Tests.Customers;

public sealed class ContactFormatsTests
{
    [Theory]
    [InlineData("+79161234567", "+79161234567")]
    [InlineData("89161234567", "+79161234567")]
    [InlineData("8 (916) 123-45-67", "+79161234567")]
    [InlineData("+7 916 123 45 67", "+79161234567")]
    [InlineData("7-916-123-45-67", "+79161234567")]
    [InlineData("9161234567", "+79161234567")]
    [InlineData("+375 29 123-45-67", "+375291234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    public void NormalizePhone_KnownFormats_ToE164(string raw, string expected) => Assert.Equal(expected, ContactFormats.NormalizePhone(raw));

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("+7 916 123")]
    [InlineData("phone: 89161234567")]
    [InlineData("+0123456789")]
    [InlineData("+7916123456789")]
    [InlineData("8916123456")]
    [InlineData("+12345678901234567")]
    public void NormalizePhone_Invalid_Null(string raw) => Assert.Null(ContactFormats.NormalizePhone(raw));

    [Theory]
    [InlineData("anna@example.com", true)]
    [InlineData("a.b+tag@mail.ru", true)]
    [InlineData("not-an-email", false)]
    [InlineData("a@b", false)]
    [InlineData("Anna <anna@example.com>", false)]
    [InlineData("anna@example.", false)]
    public void IsValidEmail(string email, bool valid) => Assert.Equal(valid, ContactFormats.IsValidEmail(email));
}
