using Paylink.Core.Common;

namespace Paylink.Core.Customers;

public sealed class Customer : IMerchantOwned
{
    private Customer() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string? Name { get; private set; }
    /// <summary>E.164, e.g. +79161234567.</summary>
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Customer Create(string merchantId, string? name, string? phone, string? email, TimeProvider clock) => new()
    {
        Id = Ids.New("cus", clock), MerchantId = merchantId, Name = name, Phone = phone, Email = email,
        CreatedAt = clock.GetUtcNow(),
    };

    /// <summary>Fills in details the customer gave later; never erases known ones.</summary>
    public void Complete(string? name, string? phone, string? email)
    {
        Name ??= name;
        Phone ??= phone;
        Email ??= email;
    }
}
