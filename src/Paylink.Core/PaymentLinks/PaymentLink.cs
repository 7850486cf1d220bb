using Paylink.Core.Common;

namespace Paylink.Core.PaymentLinks;

/// <summary>
/// A request for money the customer opens at /p/{Code}. State changes only through the methods below,
/// which enforce <see cref="LinkStatus"/>'s machine; <see cref="Version"/> is an optimistic concurrency
/// token so two racing notifications cannot both move the link.
/// </summary>
public sealed class PaymentLink : IMerchantOwned
{
    private PaymentLink() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string Code { get; private set; } = "";
    public string OrderId { get; private set; } = "";
    /// <summary>The merchant's order number as given at creation ("orderId" in the API).</summary>
    public string? OrderRef { get; private set; }
    public string? CustomerId { get; private set; }
    public string? GatewayAccountId { get; private set; }
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    public string Description { get; private set; } = "";
    public List<LinkItem> Items { get; private set; } = [];
    /// <summary>Merchant's metadata as a JSON object of strings; returned as given.</summary>
    public string? MetadataJson { get; private set; }
    public LinkStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? OpenedAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset? ExpiredAt { get; private set; }
    public int Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    internal static PaymentLink Create(string id, string code, string merchantId, string orderId, string? orderRef, string? customerId,
        string? gatewayAccountId, Money amount, string description, IEnumerable<LinkItem> items, string? metadataJson,
        DateTimeOffset now, DateTimeOffset expiresAt) => new()
        {
            Id = id, Code = code, MerchantId = merchantId, OrderId = orderId, OrderRef = orderRef, CustomerId = customerId,
            GatewayAccountId = gatewayAccountId, AmountMinor = amount.Minor, Currency = amount.Currency,
            Description = description, Items = items.ToList(), MetadataJson = metadataJson,
            Status = LinkStatus.Open, CreatedAt = now, ExpiresAt = expiresAt,
        };

    /// <summary>The status a reader should see: an open link past its expiry is expired even before the
    /// periodic job records it.</summary>
    public LinkStatus StatusAt(DateTimeOffset now) =>
        Status == LinkStatus.Open && now >= ExpiresAt ? LinkStatus.Expired : Status;

    public bool CanStartCheckout(DateTimeOffset now) => StatusAt(now) == LinkStatus.Open;


    /// <summary>
    /// Marks the link paid. Idempotent in effect: a second call for an already paid link returns
    /// <c>false</c> and changes nothing. Refunded links cannot be paid again.
    /// </summary>
    public Result<bool> MarkPaid(DateTimeOffset paidAt)
    {
        switch (Status)
        {
            case LinkStatus.Paid or LinkStatus.PartiallyRefunded or LinkStatus.Refunded:
                return false;
            case LinkStatus.Open or LinkStatus.Expired or LinkStatus.Cancelled:
                Status = LinkStatus.Paid;
                PaidAt = paidAt;
                Version++;
                return true;
            default:
                return Error.Conflict("invalid_transition", $"A {Status.ToWire()} link cannot be paid.");
        }
    }

    public Result<bool> Cancel(DateTimeOffset now)
    {
        switch (StatusAt(now))
        {
            case LinkStatus.Cancelled:
                return false;
            case LinkStatus.Open:
                Status = LinkStatus.Cancelled;
                CancelledAt = now;
                Version++;
                return true;
            case LinkStatus.Expired:
                return Error.Conflict("link_expired", "The link has expired and cannot be cancelled.");
            default:
                return Error.Conflict("link_paid", $"The link is {Status.ToWire()}; a paid link cannot be cancelled, refund it instead.");
        }
    }

    /// <summary>Records expiry of an open link whose time has passed. Returns false when nothing changed.</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Status != LinkStatus.Open || now < ExpiresAt) return false;
        Status = LinkStatus.Expired;
        ExpiredAt = now;
        Version++;
        return true;
    }
}
