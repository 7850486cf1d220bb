using System.Net;
using Paylink.Core.Common;
using Paylink.Providers.Channels.Max;
using Paylink.Providers.Channels.Telegram;
using Paylink.Providers.Channels.Vk;
using Paylink.Providers.Crm.Bitrix24;
using Paylink.Providers.Gateways.TBank;

namespace Paylink.Tests.Common;

public sealed class RemoteTextTests
{
    [Theory]
    [InlineData("204", "204")]
    [InlineData("invalid_request", "invalid_request")]
    [InlineData("bad.request-1", "bad.request-1")]
    [InlineData("hunter2 internal", null)]
    [InlineData("Неверный токен", null)]
    [InlineData("<script>", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("a1234567890123456789012345678901234567890", null)]   // 41 characters
    public void Code_KeepsOnlyShortTokens(string? value, string? expected) => Assert.Equal(expected, RemoteText.Code(value));

    [Fact] public void CodeOrMark_MarksFreeText() => Assert.Equal("?", RemoteText.CodeOrMark("10.0.0.5 says no"));

    [Fact]
    public void TBankMeaning_KnownAndUnknownCodes_AreOurWords()
    {
        Assert.Contains("токен", TBankApi.Meaning("204"), StringComparison.Ordinal);
        Assert.Contains("заблокирован", TBankApi.Meaning("202"), StringComparison.Ordinal);
        Assert.Equal("T-Bank отклонил запрос (код 777)", TBankApi.Meaning("777"));
        Assert.Equal("T-Bank отклонил запрос (код ?)", TBankApi.Meaning("x y"));
    }

    [Fact]
    public void Meanings_OfChannels_AreOurWords()
    {
        Assert.Equal("the bot token is not valid", TelegramApi.Meaning(401));
        Assert.Equal("the bot is blocked or may not write to this user", MaxApi.Meaning(HttpStatusCode.Forbidden));
        Assert.Equal("the user has not allowed messages from the community", VkApi.Meaning(901));
    }

    [Fact]
    public void Bitrix24Classify_QuotesTheCodeNotTheDescription()
    {
        var f = Bitrix24Client.Classify("crm.deal.add", 400, "ERROR_CORE", "hunter2 at 10.0.0.5", null);
        Assert.Equal("ERROR_CORE", f.Code);
        Assert.DoesNotContain("hunter2", f.Message, StringComparison.Ordinal);
        var free = Bitrix24Client.Classify("crm.deal.add", 400, "not a token!", null, null);
        Assert.Equal("rejected", free.Code);
        Assert.DoesNotContain("token!", free.Message, StringComparison.Ordinal);
    }
}
