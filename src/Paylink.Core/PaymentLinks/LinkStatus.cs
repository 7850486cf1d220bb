namespace Paylink.Core.PaymentLinks;

/// <summary>
/// open → paid | expired | cancelled; paid → partially_refunded → refunded. A payment that arrives for
/// an expired or cancelled link is still recorded (the money was taken) and moves the link to paid.
/// Deposits (capture "manual"): open → authorized (money held) → paid (captured) | voided (released).
/// </summary>
public enum LinkStatus
{
    Open,
    Paid,
    Expired,
    Cancelled,
    Refunded,
    PartiallyRefunded,
    Authorized,
    Voided,
}

public static class LinkStatusNames
{
    public static string ToWire(this LinkStatus s) => s switch
    {
        LinkStatus.Open => "open",
        LinkStatus.Paid => "paid",
        LinkStatus.Expired => "expired",
        LinkStatus.Cancelled => "cancelled",
        LinkStatus.Refunded => "refunded",
        LinkStatus.PartiallyRefunded => "partially_refunded",
        LinkStatus.Authorized => "authorized",
        LinkStatus.Voided => "voided",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static bool TryParse(string? wire, out LinkStatus status)
    {
        foreach (var s in Enum.GetValues<LinkStatus>())
        {
            if (s.ToWire() == wire) { status = s; return true; }
        }
        status = default;
        return false;
    }
}
