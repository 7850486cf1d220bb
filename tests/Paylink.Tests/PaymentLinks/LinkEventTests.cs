using Paylink.Core.PaymentLinks;

namespace Paylink.Tests.PaymentLinks;

public sealed class LinkEventTests
{
    [Theory]
    [InlineData("""{"channel":"telegram","messageId":"msg_1"}""", "telegram")]
    [InlineData("""{"messageId":"msg_1"}""", null)]
    [InlineData("""{"channel":5}""", null)]
    [InlineData("""["channel"]""", null)]
    [InlineData("not json", null)]
    public void ChannelOf_ReadsTheSentEventsChannel(string data, string? expected) => Assert.Equal(expected, LinkEvent.ChannelOf(data));
}
