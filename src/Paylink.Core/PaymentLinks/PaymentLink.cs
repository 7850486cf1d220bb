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
    /// <summary>Automatic: the checkout takes the money. Manual: it only holds it (deposit) until capture or void.</summary>
    public Providers.CaptureMode CaptureMode { get; private set; }
    /// <summary>The merchant asks the customer to save the payment method for later charges; the pay page
    /// then requires the consent checkbox.</summary>
    public bool SavePaymentMethod { get; private set; }
    /// <summary>The method the pay page and the chat invoice put first for this link (<c>card</c> or <c>sbp</c>); null: the
    /// merchant's default (<see cref="Payments.PaymentMethodSettings"/>).</summary>
    public string? DefaultMethod { get; private set; }
    public DateTimeOffset? AuthorizedAt { get; private set; }
    public DateTimeOffset? VoidedAt { get; private set; }
    /// <summary>When the closing (settlement) receipt of a prepaid link was issued.</summary>
    public DateTimeOffset? SettledAt { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    internal static PaymentLink Create(string id, string code, string merchantId, string orderId, string? orderRef, string? customerId,
        string? gatewayAccountId, Money amount, string description, IEnumerable<LinkItem> items, string? metadataJson,
        DateTimeOffset now, DateTimeOffset expiresAt, Providers.CaptureMode capture = Providers.CaptureMode.Automatic,
        bool savePaymentMethod = false, string? defaultMethod = null) => new()
        {
            CaptureMode = capture, SavePaymentMethod = savePaymentMethod, DefaultMethod = defaultMethod,
            Id = id, Code = code, MerchantId = merchantId, OrderId = orderId, OrderRef = orderRef, CustomerId = customerId,
            GatewayAccountId = gatewayAccountId, AmountMinor = amount.Minor, Currency = amount.Currency,
            Description = description, Items = items.ToList(), MetadataJson = metadataJson,
            Status = LinkStatus.Open, CreatedAt = now, ExpiresAt = expiresAt,
        };

    /// <summary>The status a reader should see: an open link past its expiry is expired even before the
    /// periodic job records it.</summary>
    public LinkStatus StatusAt(DateTimeOffset now) => StatusFor(Status, ExpiresAt, now);

    internal static LinkStatus StatusFor(LinkStatus stored, DateTimeOffset expiresAt, DateTimeOffset now) =>
        stored == LinkStatus.Open && now >= expiresAt ? LinkStatus.Expired : stored;

    public bool CanStartCheckout(DateTimeOffset now) => StatusAt(now) == LinkStatus.Open;


    /// <summary>
    /// Marks the link paid. Idempotent in effect: a second call for an already paid link returns
    /// <c>false</c> and changes nothing. Refunded links cannot be paid again.
    /// </summary>
    public Result<bool> MarkPaid(DateTimeOffset paidAt)
    {
        switch (Status)
        {
            case LinkStatus.Paid or LinkStatus.PartiallyRefunded or LinkStatus.Refunded or LinkStatus.Voided:
                return false;
            case LinkStatus.Open or LinkStatus.Expired or LinkStatus.Cancelled or LinkStatus.Authorized:
                Status = LinkStatus.Paid;
                PaidAt = paidAt;
                Version++;
                return true;
            default:
                return Error.Conflict("invalid_transition", $"A {Status.ToWire()} link cannot be paid.");
        }
    }

    /// <summary>Money is held for a manual-capture link. False (no change) once held, paid, refunded or voided.</summary>
    public bool MarkAuthorized(DateTimeOffset at)
    {
        if (Status is not (LinkStatus.Open or LinkStatus.Expired or LinkStatus.Cancelled)) return false;
        Status = LinkStatus.Authorized;
        AuthorizedAt = at;
        Version++;
        return true;
    }

    /// <summary>The hold was released. Only an authorized link can be voided; a captured one is refunded instead.</summary>
    public bool MarkVoided(DateTimeOffset at)
    {
        if (Status != LinkStatus.Authorized) return false;
        Status = LinkStatus.Voided;
        VoidedAt = at;
        Version++;
        return true;
    }

    /// <summary>
    /// Moves a paid link to partially_refunded or refunded from the total of completed refunds. Never moves
    /// back: a late "paid" or a smaller total cannot un-refund a link.
    /// </summary>
    public bool ApplyRefunded(long refundedTotal, long captured)
    {
        if (Status is not (LinkStatus.Paid or LinkStatus.PartiallyRefunded) || refundedTotal <= 0) return false;
        var target = refundedTotal >= captured ? LinkStatus.Refunded : LinkStatus.PartiallyRefunded;
        if (target == Status) return false;
        Status = target;
        Version++;
        return true;
    }

    public void MarkSettled(DateTimeOffset at)
    {
        SettledAt = at;
        Version++;
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
            case LinkStatus.Authorized:
                return Error.Conflict("link_authorized", "Money is held for this link; void the hold instead of cancelling.");
            default:
                return Error.Conflict("link_paid", $"The link is {Status.ToWire()}; a paid link cannot be cancelled, refund it instead.");
        }
    }

    /// <summary>
    /// A prepayment link expires no later than the visit it prepays starts: when the visit moves earlier than the
    /// link's expiry, the expiry moves with it. Only an open link changes (a paid, held or finished one keeps its
    /// history); a later visit never extends it. Returns false when nothing changed.
    /// </summary>
    public bool ExpireNoLaterThan(DateTimeOffset visitStart)
    {
        visitStart = visitStart.ToUniversalTime();
        if (Status != LinkStatus.Open || ExpiresAt <= visitStart) return false;
        ExpiresAt = visitStart;
        Version++;
        return true;
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
