using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.Orders;
using Paylink.Core.Payments;
using Paylink.Core.Providers;
using Paylink.Core.Receipts;

namespace Paylink.Core.PaymentLinks;

public sealed record CustomerInput(string? Name = null, string? Phone = null, string? Email = null);

public sealed record LinkItemInput(string? Name = null, int? Quantity = null, long? Amount = null, string? ServiceId = null,
    string? Vat = null, string? PaymentObject = null, string? Measure = null);

public sealed record CreatePaymentLinkRequest(
    long? Amount = null,
    string? Currency = null,
    string? Description = null,
    CustomerInput? Customer = null,
    IReadOnlyList<LinkItemInput>? Items = null,
    DateTimeOffset? ExpiresAt = null,
    string? OrderId = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    string? Gateway = null,
    string? Capture = null,
    bool? SavePaymentMethod = null);

/// <summary>
/// Validates a link request, finds or creates the customer and order, picks the gateway account and
/// stores the link with its "created" event. Adds to the context and saves; the caller may wrap it in a
/// transaction (idempotency).
/// </summary>
public sealed partial class CreatePaymentLink(AppDbContext db, MerchantCache merchants, IOptions<LinkOptions> options, TimeProvider clock)
{
    public const int MaxDescription = 500;
    public const int MaxItems = 100;

    /// <param name="knownCustomerId">A customer already chosen by the caller (a booking's, a conversation's): the link belongs to
    /// them instead of one found or created from <c>customer</c>, which then only supplies the receipt's contacts.</param>
    public async Task<Result<PaymentLink>> HandleAsync(string merchantId, CreatePaymentLinkRequest r, CancellationToken ct, string? knownCustomerId = null)
    {
        var now = clock.GetUtcNow();
        var limits = options.Value;
        var errors = new ValidationErrors();

        var merchant = await merchants.GetAsync(merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");

        if (r.Currency is null) errors.Add("currency", "currency is required (ISO 4217, e.g. RUB).");
        else if (!Currencies.IsSupported(r.Currency)) errors.Add("currency", $"Unsupported currency '{r.Currency}'. Supported: {string.Join(", ", Currencies.Codes.Order())}.");

        var description = r.Description?.Trim();
        if (string.IsNullOrEmpty(description)) errors.Add("description", "description is required.");
        else if (description.Length > MaxDescription) errors.Add("description", $"description must be at most {MaxDescription} characters.");

        var amount = ValidateAmountAndItems(r, limits, errors, out var items);
        var customer = ValidateCustomer(r.Customer, errors);

        var expiresAt = (r.ExpiresAt ?? now.AddMinutes(merchant.DefaultLinkLifetimeMinutes)).ToUniversalTime();
        if (expiresAt <= now.AddMinutes(1)) errors.Add("expiresAt", "expiresAt must be at least one minute in the future.");
        else if (expiresAt > now.AddDays(limits.MaxLifetimeDays)) errors.Add("expiresAt", $"expiresAt must be within {limits.MaxLifetimeDays} days.");

        if (r.OrderId is not null && !OrderIdRegex().IsMatch(r.OrderId))
            errors.Add("orderId", "orderId must be 1–64 characters: letters, digits and - _ . / : #.");

        if (r.Metadata is { } md)
        {
            if (md.Count > 50) errors.Add("metadata", "metadata may have at most 50 keys.");
            foreach (var (k, v) in md)
            {
                if (k.Length is 0 or > 40) errors.Add("metadata", $"metadata key '{Trunc(k)}' must be 1–40 characters.");
                if (v is null || v.Length > 500) errors.Add($"metadata.{Trunc(k)}", "metadata values must be strings of at most 500 characters.");
            }
        }
        var capture = CaptureMode.Automatic;
        if (r.Capture is "manual") capture = CaptureMode.Manual;
        else if (r.Capture is not (null or "automatic")) errors.Add("capture", "capture must be 'automatic' (default) or 'manual' (hold the money until capture or void).");
        var save = r.SavePaymentMethod ?? false;
        if (save && customer is null or { Phone: null, Email: null })
            errors.Add("savePaymentMethod", "savePaymentMethod needs customer.phone or customer.email: the saved method belongs to a customer.");

        if (r.Currency is not null && errors.Any is false)
            foreach (var (field, message) in ReceiptBuilder.Problems(merchant.Fiscal, r.Currency, customer?.Email, customer?.Phone,
                         items.Select(i => new ReceiptBuilder.LinkItemInputCheck(i.AmountMinor, i.Quantity)).ToList()))
                errors.Add(field, message);
        if (errors.Any) return errors.ToError();

        // One connection for the lookups and the save: each open of EF's SQLite connection registers its SQL
        // functions again (docs/performance.md). Inside a caller's transaction it is open already.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var account = r.Gateway is null
                ? await FirstAccountAsync(merchantId, ct)
                : await AccountById.For(db)(db, merchantId, r.Gateway, ct);
            if (account is null)
                return r.Gateway is null
                    ? Error.Validation("gateway", "The merchant has no gateway account; connect one first.")
                    : Error.Validation("gateway", $"Gateway account '{r.Gateway}' was not found.");

            var customerId = knownCustomerId ?? await FindOrCreateCustomerAsync(merchantId, customer, ct);
            var order = await FindOrCreateOrderAsync(merchantId, r.OrderId, customerId, ct);
            if (!order.IsSuccess) return order.Error!;

            var link = PaymentLink.Create(Ids.New("lnk", clock), Ids.NewCode(), merchantId, order.Value.Id, r.OrderId, customerId, account.Id,
                new Money(amount, r.Currency!), description!, items,
                r.Metadata is null ? null : JsonSerializer.Serialize(r.Metadata), now, expiresAt, capture, save);
            db.PaymentLinks.Add(link);
            db.LinkEvents.Add(LinkEvent.For(link, LinkEventTypes.Created, now));
            await db.SaveChangesAsync(ct);
            return link;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    // Compiled: every link creation runs one of these, and EF's query cache lookup (expression comparison)
    // cost about as much as the indexed query.
    private static readonly CompiledPerModel<Func<AppDbContext, string, IAsyncEnumerable<GatewayAccount>>> AccountsOf = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId) => db.GatewayAccounts.IgnoreQueryFilters().Where(a => a.MerchantId == merchantId && a.DeletedAt == null)));

    private static readonly CompiledPerModel<Func<AppDbContext, string, string, CancellationToken, Task<GatewayAccount?>>> AccountById = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId, string id, CancellationToken ct) =>
            db.GatewayAccounts.IgnoreQueryFilters().FirstOrDefault(a => a.MerchantId == merchantId && a.Id == id && a.DeletedAt == null)));

    /// <summary>The merchant's first live account (by position, then id).</summary>
    private async Task<GatewayAccount?> FirstAccountAsync(string merchantId, CancellationToken ct)
    {
        var accounts = new List<GatewayAccount>();
        await foreach (var a in AccountsOf.For(db)(db, merchantId).WithCancellation(ct)) accounts.Add(a);
        return accounts.OrderBy(a => a.Position).ThenBy(a => a.Id).FirstOrDefault();
    }

    private static long ValidateAmountAndItems(CreatePaymentLinkRequest r, LinkOptions limits, ValidationErrors errors, out List<LinkItem> items)
    {
        items = [];
        if (r.Amount is null && (r.Items is null || r.Items.Count == 0))
        {
            errors.Add("amount", "amount (in minor units) or items is required.");
            return 0;
        }
        if (r.Amount is { } a && (a <= 0 || a > limits.MaxAmountMinor))
            errors.Add("amount", $"amount must be a positive integer in minor units, at most {limits.MaxAmountMinor}.");
        if (r.Items is null) return r.Amount ?? 0;
        if (r.Items.Count > MaxItems) { errors.Add("items", $"At most {MaxItems} items."); return 0; }

        long sum = 0;
        var overflow = false;
        for (var i = 0; i < r.Items.Count; i++)
        {
            var it = r.Items[i];
            var at = $"items[{i}]";
            if (it is null) { errors.Add(at, "Item must be an object."); continue; }
            var name = it.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200) errors.Add($"{at}.name", "name is required, at most 200 characters.");
            var qty = it.Quantity ?? 1;
            if (qty is < 1 or > 100_000) errors.Add($"{at}.quantity", "quantity must be between 1 and 100000.");
            if (it.Amount is not { } line || line <= 0 || line > limits.MaxAmountMinor)
                errors.Add($"{at}.amount", $"amount (line total in minor units) must be positive, at most {limits.MaxAmountMinor}.");
            else
            {
                try { sum = checked(sum + line); } catch (OverflowException) { overflow = true; }
            }
            if (it.Vat is not null && !FiscalCodes.VatRates.Contains(it.Vat)) errors.Add($"{at}.vat", $"vat must be one of {string.Join(", ", FiscalCodes.VatRates)}.");
            if (it.PaymentObject is not null && !FiscalCodes.PaymentObjects.Contains(it.PaymentObject))
                errors.Add($"{at}.paymentObject", $"paymentObject must be one of {string.Join(", ", FiscalCodes.PaymentObjects)}.");
            if (it.Measure is not null && !FiscalCodes.Measures.Contains(it.Measure)) errors.Add($"{at}.measure", $"measure must be one of {string.Join(", ", FiscalCodes.Measures)}.");
            items.Add(new LinkItem
            {
                Position = i, Name = name ?? "", Quantity = qty, AmountMinor = it.Amount ?? 0, ServiceId = it.ServiceId,
                Vat = it.Vat, PaymentObject = it.PaymentObject, Measure = it.Measure,
            });
        }
        if (errors.Any) return 0;
        if (overflow || sum > limits.MaxAmountMinor) { errors.Add("items", $"Items total must be at most {limits.MaxAmountMinor}."); return 0; }
        if (r.Amount is { } given && given != sum) errors.Add("items", $"Items sum to {sum}, but amount is {given}; they must be equal.");
        return sum;
    }

    private static CustomerInput? ValidateCustomer(CustomerInput? c, ValidationErrors errors)
    {
        if (c is null) return null;
        var name = c.Name?.Trim();
        if (name is { Length: > 200 }) errors.Add("customer.name", "customer.name must be at most 200 characters.");
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(c.Phone))
        {
            phone = ContactFormats.NormalizePhone(c.Phone);
            if (phone is null) errors.Add("customer.phone", "customer.phone is not a valid phone number (E.164, e.g. +79161234567).");
        }
        var email = c.Email?.Trim();
        if (!string.IsNullOrEmpty(email) && !ContactFormats.IsValidEmail(email)) errors.Add("customer.email", "customer.email is not a valid e-mail address.");
        return new CustomerInput(string.IsNullOrEmpty(name) ? null : name, phone, string.IsNullOrEmpty(email) ? null : email);
    }

    private async Task<string?> FindOrCreateCustomerAsync(string merchantId, CustomerInput? c, CancellationToken ct)
    {
        if (c is null || (c.Name is null && c.Phone is null && c.Email is null)) return null;
        return (await CustomerDirectory.FindOrCreateAsync(db, merchantId, c.Name, c.Phone, c.Email, clock, ct)).Id;
    }

    private async Task<Result<Order>> FindOrCreateOrderAsync(string merchantId, string? externalId, string? customerId, CancellationToken ct)
    {
        if (externalId is not null)
        {
            var existing = await db.Orders.IgnoreQueryFilters().FirstOrDefaultAsync(o => o.MerchantId == merchantId && o.ExternalId == externalId, ct);
            if (existing is not null)
            {
                var paid = await db.PaymentLinks.IgnoreQueryFilters().AnyAsync(l => l.OrderId == existing.Id && l.PaidAt != null, ct);
                if (paid) return Error.Conflict("order_paid", $"Order '{externalId}' is already paid; refund it before asking for money again.");
                return existing;
            }
        }
        var order = Order.Create(merchantId, externalId, customerId, clock);
        db.Orders.Add(order);
        return order;
    }

    private static string Trunc(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^[A-Za-z0-9_\-./:#]{1,64}$")]
    private static partial Regex OrderIdRegex();
}
