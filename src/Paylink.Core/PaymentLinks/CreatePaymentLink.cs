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
    bool? SavePaymentMethod = null,
    string? DefaultMethod = null);

/// <summary>A request that passed validation: what staging needs, with no database read yet.</summary>
internal sealed record LinkDraft(string MerchantId, CreatePaymentLinkRequest Request, long Amount, List<LinkItem> Items, CustomerInput? Customer,
    DateTimeOffset Now, DateTimeOffset ExpiresAt, CaptureMode Capture, bool SavePaymentMethod, string? KnownCustomerId);

/// <summary>The rows one link creation writes: a new order (or null when the link joins an existing one), the link, its "created" event.</summary>
internal sealed record StagedLink(Order? NewOrder, PaymentLink Link, LinkEvent Created);

/// <summary>
/// Validates a link request, finds or creates the customer and order, picks the gateway account and
/// stores the link with its "created" event. By default it adds to the caller's context and saves there (the
/// caller may wrap it in a transaction, e.g. for idempotency, and keeps the link tracked). A <c>standalone</c>
/// caller (no transaction, no further use of the entity with its context) has the rows written by
/// <see cref="LinkCreationBatcher"/>, which commits concurrent creations together.
/// </summary>
public sealed partial class CreatePaymentLink(AppDbContext db, MerchantCache merchants, IOptions<LinkOptions> options, TimeProvider clock,
    LinkCreationBatcher batcher)
{
    public const int MaxDescription = 500;
    public const int MaxItems = 100;

    /// <param name="knownCustomerId">A customer already chosen by the caller (a booking's, a conversation's): the link belongs to
    /// them instead of one found or created from <c>customer</c>, which then only supplies the receipt's contacts.</param>
    /// <param name="standalone">The caller holds no transaction and does not use the returned link with its own context:
    /// the link may be group-committed with concurrent creations (when <see cref="LinkOptions.GroupCommit"/> is on).</param>
    public async Task<Result<PaymentLink>> HandleAsync(string merchantId, CreatePaymentLinkRequest r, CancellationToken ct, string? knownCustomerId = null,
        bool standalone = false)
    {
        var draft = await ValidateAsync(merchantId, r, knownCustomerId, ct);
        if (!draft.IsSuccess) return draft.Error!;
        if (standalone && options.Value.GroupCommit && db.Database.CurrentTransaction is null) return await batcher.CreateAsync(draft.Value, ct);

        // One connection for the lookups and the save: each open of EF's SQLite connection registers its SQL
        // functions again (docs/performance.md). Inside a caller's transaction it is open already.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // Saving on our own (no caller's transaction), a unique violation is a concurrent creation that stored the
            // same new order number first: undo this attempt's rows (and what the reactions added) and stage again,
            // which joins its order. In a caller's transaction the database has aborted it: the caller decides.
            var ownSave = db.Database.CurrentTransaction is null;
            var before = ownSave ? db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance) : null;
            for (var attempt = 0; ; attempt++)
            {
                var staged = await StageAsync(db, draft.Value, accounts: null, clock, ct);
                if (!staged.IsSuccess) return staged.Error!;
                var (order, link, created) = staged.Value;
                if (order is not null) db.Orders.Add(order);
                db.PaymentLinks.Add(link);
                db.LinkEvents.Add(created);
                try
                {
                    await db.SaveChangesAsync(ct);
                    return link;
                }
                catch (DbUpdateException ex) when (before is not null && attempt == 0 && AppDbContext.IsUniqueViolation(ex))
                {
                    foreach (var entry in db.ChangeTracker.Entries().Where(e => !before.Contains(e.Entity)).ToList()) entry.State = EntityState.Detached;
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<Result<LinkDraft>> ValidateAsync(string merchantId, CreatePaymentLinkRequest r, string? knownCustomerId, CancellationToken ct)
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
        if (r.DefaultMethod is not (null or "card" or "sbp"))
            errors.Add("defaultMethod", "defaultMethod must be card or sbp (or absent: the merchant's default).");
        else if (r.DefaultMethod == "sbp" && capture == CaptureMode.Manual)
            errors.Add("defaultMethod", "defaultMethod sbp cannot go with capture manual: SBP cannot hold money.");

        if (r.Currency is not null && errors.Any is false)
            foreach (var (field, message) in ReceiptBuilder.Problems(merchant.Fiscal, r.Currency, customer?.Email, customer?.Phone,
                         items.Select(i => new ReceiptBuilder.LinkItemInputCheck(i.AmountMinor, i.Quantity)).ToList()))
                errors.Add(field, message);
        if (errors.Any) return errors.ToError();
        return new LinkDraft(merchantId, r with { Description = description }, amount, items, customer, now, expiresAt, capture, save, knownCustomerId);
    }

    /// <summary>
    /// The reads and entities of one creation on <paramref name="db"/> (open connection): the gateway account, an
    /// existing order of the same number (refused when paid), the customer (found or added to the context, not
    /// saved), then the new rows, not added. <paramref name="accounts"/> memoises the account lists of one
    /// transaction (a group commit); null reads them each time.
    /// </summary>
    internal static async Task<Result<StagedLink>> StageAsync(AppDbContext db, LinkDraft d, Dictionary<string, List<GatewayAccount>>? accounts,
        TimeProvider clock, CancellationToken ct)
    {
        var r = d.Request;
        var account = r.Gateway is null
            ? FirstAccount(await AccountsOfAsync(db, d.MerchantId, accounts, ct))
            : await AccountById.For(db)(db, d.MerchantId, r.Gateway, ct);
        if (account is null)
            return r.Gateway is null
                ? Error.Validation("gateway", "The merchant has no gateway account; connect one first.")
                : Error.Validation("gateway", $"Gateway account '{r.Gateway}' was not found.");

        Order? existing = null;
        if (r.OrderId is not null)
        {
            existing = await OrderByExternalId.For(db)(db, d.MerchantId, r.OrderId, ct);
            if (existing is not null && await OrderPaid.For(db)(db, existing.Id, ct))
                return Error.Conflict("order_paid", $"Order '{r.OrderId}' is already paid; refund it before asking for money again.");
        }

        var customerId = d.KnownCustomerId ?? await FindOrCreateCustomerAsync(db, d.MerchantId, d.Customer, clock, ct);
        var order = existing is null ? Order.Create(d.MerchantId, r.OrderId, customerId, clock) : null;
        var link = PaymentLink.Create(Ids.New("lnk", clock), Ids.NewCode(), d.MerchantId, (order ?? existing)!.Id, r.OrderId, customerId, account.Id,
            new Money(d.Amount, r.Currency!), r.Description!, d.Items,
            r.Metadata is null ? null : JsonSerializer.Serialize(r.Metadata), d.Now, d.ExpiresAt, d.Capture, d.SavePaymentMethod, r.DefaultMethod);
        return new StagedLink(order, link, LinkEvent.For(link, LinkEventTypes.Created, d.Now));
    }

    // Compiled: every link creation runs these, and EF's query cache lookup (expression comparison)
    // cost about as much as the indexed query.
    private static readonly CompiledPerModel<Func<AppDbContext, string, IAsyncEnumerable<GatewayAccount>>> AccountsOf = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId) => db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => a.MerchantId == merchantId && a.DeletedAt == null)));

    private static readonly CompiledPerModel<Func<AppDbContext, string, string, CancellationToken, Task<GatewayAccount?>>> AccountById = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId, string id, CancellationToken ct) =>
            db.GatewayAccounts.IgnoreQueryFilters().AsNoTracking().FirstOrDefault(a => a.MerchantId == merchantId && a.Id == id && a.DeletedAt == null)));

    private static readonly CompiledPerModel<Func<AppDbContext, string, string, CancellationToken, Task<Order?>>> OrderByExternalId = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string merchantId, string externalId, CancellationToken ct) =>
            db.Orders.IgnoreQueryFilters().FirstOrDefault(o => o.MerchantId == merchantId && o.ExternalId == externalId)));

    private static readonly CompiledPerModel<Func<AppDbContext, string, CancellationToken, Task<bool>>> OrderPaid = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string orderId, CancellationToken ct) => db.PaymentLinks.IgnoreQueryFilters().Any(l => l.OrderId == orderId && l.PaidAt != null)));

    private static async Task<List<GatewayAccount>> AccountsOfAsync(AppDbContext db, string merchantId, Dictionary<string, List<GatewayAccount>>? memo,
        CancellationToken ct)
    {
        if (memo is not null && memo.TryGetValue(merchantId, out var known)) return known;
        var list = new List<GatewayAccount>();
        await foreach (var a in AccountsOf.For(db)(db, merchantId).WithCancellation(ct)) list.Add(a);
        if (memo is not null) memo[merchantId] = list;
        return list;
    }

    /// <summary>The merchant's first live account (by position, then id).</summary>
    private static GatewayAccount? FirstAccount(List<GatewayAccount> accounts) => accounts.OrderBy(a => a.Position).ThenBy(a => a.Id).FirstOrDefault();

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

    private static async Task<string?> FindOrCreateCustomerAsync(AppDbContext db, string merchantId, CustomerInput? c, TimeProvider clock, CancellationToken ct)
    {
        if (c is null || (c.Name is null && c.Phone is null && c.Email is null)) return null;
        return (await CustomerDirectory.FindOrCreateAsync(db, merchantId, c.Name, c.Phone, c.Email, clock, ct)).Id;
    }

    private static string Trunc(string s) => s.Length > 40 ? s[..40] + "…" : s;

    [GeneratedRegex(@"^[A-Za-z0-9_\-./:#]{1,64}$")]
    private static partial Regex OrderIdRegex();
}
