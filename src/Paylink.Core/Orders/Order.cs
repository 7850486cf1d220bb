using Paylink.Core.Common;

namespace Paylink.Core.Orders;

/// <summary>
/// What the customer is buying. Several payment links may belong to one order (a link per channel, a
/// reissued link); paying one of them voids the others.
/// </summary>
public sealed class Order : IMerchantOwned
{
    private Order() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    /// <summary>The merchant's own order number ("orderId" in the API), unique per merchant when given.</summary>
    public string? ExternalId { get; private set; }
    public string? CustomerId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Order Create(string merchantId, string? externalId, string? customerId, TimeProvider clock) => new()
    {
        Id = Ids.New("ord", clock), MerchantId = merchantId, ExternalId = externalId, CustomerId = customerId,
        CreatedAt = clock.GetUtcNow(),
    };
}
