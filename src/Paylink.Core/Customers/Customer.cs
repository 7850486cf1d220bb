using Paylink.Core.Common;

namespace Paylink.Core.Customers;

/// <summary>A merchant's customer; the built-in CRM's contact. Deduplicated by E.164 phone and by e-mail
/// (<see cref="CustomerDirectory"/>); a merged duplicate keeps its row pointing at the survivor.</summary>
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
    /// <summary>Set when this contact was merged into another; its links, bookings and deals moved there.</summary>
    public string? MergedIntoId { get; private set; }
    /// <summary>The client's own channel fallback order (provider ids, comma-separated), overriding the
    /// merchant's (<see cref="Messaging.ChannelFallback"/>); null: the merchant's order.</summary>
    public string? ChannelOrder { get; private set; }

    public void SetChannelOrder(IReadOnlyList<string>? order) => ChannelOrder = order is { Count: > 0 } ? string.Join(',', order) : null;

    /// <summary>When the person's data was erased (152-FZ): name, phone and e-mail are gone, the row stays for the payments.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    /// <summary>Removes what identifies the person; ids, payments and receipts that point here stay valid.</summary>
    public void Anonymise(DateTimeOffset at)
    {
        Name = null;
        Phone = null;
        Email = null;
        ErasedAt ??= at;
    }

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

    /// <summary>Marks this contact merged into <paramref name="target"/>, which takes the details it lacks.
    /// The phone and e-mail stay here too (history), but lookups skip merged contacts.</summary>
    public Result<bool> MergeInto(Customer target)
    {
        if (target.Id == Id) return Error.Validation("into", "A contact cannot be merged into itself.");
        if (MergedIntoId is not null) return Error.Conflict("already_merged", $"Contact '{Id}' was already merged into '{MergedIntoId}'.");
        if (target.MergedIntoId is not null) return Error.Validation("into", $"Contact '{target.Id}' was itself merged into '{target.MergedIntoId}'; merge into that one.");
        target.Complete(Name, Phone, Email);
        MergedIntoId = target.Id;
        return true;
    }
}
