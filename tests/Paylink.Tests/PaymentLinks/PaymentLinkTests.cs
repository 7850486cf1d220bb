using Paylink.Core.Common;
using Paylink.Core.PaymentLinks;

namespace Paylink.Tests.PaymentLinks;

public sealed class PaymentLinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 7, 0, 0, TimeSpan.Zero);

    private static PaymentLink NewLink(TimeSpan? life = null) => PaymentLink.Create("lnk_1", "abcdefghjk", "mer_1", "ord_1", null, null, "gwa_1",
        new Money(250000, "RUB"), "Маникюр", [], null, Now, Now + (life ?? TimeSpan.FromHours(72)));

    [Fact]
    public void MarkPaid_Open_PaysOnceThenNoOp()
    {
        var link = NewLink();
        Assert.True(link.MarkPaid(Now).Value);
        var version = link.Version;
        Assert.False(link.MarkPaid(Now.AddMinutes(1)).Value);
        Assert.Equal(LinkStatus.Paid, link.Status);
        Assert.Equal(Now, link.PaidAt);
        Assert.Equal(version, link.Version);
    }

    [Fact]
    public void MarkPaid_ExpiredOrCancelled_StillRecordsTheMoney()
    {
        var expired = NewLink(TimeSpan.FromMinutes(5));
        Assert.True(expired.Expire(Now.AddMinutes(6)));
        Assert.True(expired.MarkPaid(Now.AddMinutes(7)).Value);
        Assert.Equal(LinkStatus.Paid, expired.Status);

        var cancelled = NewLink();
        Assert.True(cancelled.Cancel(Now).Value);
        Assert.True(cancelled.MarkPaid(Now).Value);
    }

    [Fact]
    public void Cancel_Open_CancelsThenNoOp()
    {
        var link = NewLink();
        Assert.True(link.Cancel(Now).Value);
        Assert.False(link.Cancel(Now).Value);
        Assert.Equal(LinkStatus.Cancelled, link.Status);
        Assert.Equal(Now, link.CancelledAt);
    }

    [Fact]
    public void Cancel_Paid_Conflict()
    {
        var link = NewLink();
        link.MarkPaid(Now);
        var r = link.Cancel(Now);
        Assert.Equal(ErrorKind.Conflict, r.Error!.Kind);
        Assert.Equal("link_paid", r.Error.Code);
        Assert.Equal(LinkStatus.Paid, link.Status);
    }

    [Fact]
    public void Cancel_PastExpiry_Conflict()
    {
        var link = NewLink(TimeSpan.FromMinutes(5));
        Assert.Equal("link_expired", link.Cancel(Now.AddMinutes(10)).Error!.Code);
    }

    [Fact]
    public void StatusAt_OpenPastExpiry_ReadsExpiredWithoutChangingState()
    {
        var link = NewLink(TimeSpan.FromMinutes(5));
        Assert.Equal(LinkStatus.Open, link.StatusAt(Now.AddMinutes(4)));
        Assert.Equal(LinkStatus.Expired, link.StatusAt(Now.AddMinutes(5)));
        Assert.Equal(LinkStatus.Open, link.Status);
        Assert.False(link.CanStartCheckout(Now.AddMinutes(5)));
    }

    [Fact]
    public void Expire_BeforeTimeOrNotOpen_NoOp()
    {
        var link = NewLink(TimeSpan.FromMinutes(5));
        Assert.False(link.Expire(Now.AddMinutes(4)));
        link.MarkPaid(Now);
        Assert.False(link.Expire(Now.AddMinutes(10)));
        Assert.Equal(LinkStatus.Paid, link.Status);
    }

    [Theory]
    [InlineData(LinkStatus.Open, "open")]
    [InlineData(LinkStatus.PartiallyRefunded, "partially_refunded")]
    public void StatusNames_RoundTrip(LinkStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(LinkStatusNames.TryParse(wire, out var parsed));
        Assert.Equal(status, parsed);
        Assert.False(LinkStatusNames.TryParse("Open", out _));
    }
}
