using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Customers;
using Paylink.Core.Data;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;

namespace Paylink.Core.Documents;

public sealed record InvoiceBuyerInput(string? Name = null, string? Inn = null, string? Kpp = null, string? Address = null, string? Email = null);

public sealed record InvoiceLineInput(string? Name = null, decimal? Quantity = null, string? Unit = null, long? Price = null, string? Vat = null);

public sealed record CreateInvoiceRequest(InvoiceBuyerInput? Buyer = null, IReadOnlyList<InvoiceLineInput>? Items = null, DateOnly? DueDate = null,
    string? Comment = null);

/// <summary>
/// Issues a счёт: validates the buyer and lines (errors name the field), takes the next number of the merchant's year,
/// freezes the requisites, and creates the payment link that takes card/SBP payments of it — all in one transaction, so a
/// number is never used without an invoice (no gaps) and never twice (unique index; a concurrent issue that took the
/// number first makes this one retry with the next).
/// </summary>
public sealed class CreateInvoice(AppDbContext db, RequisitesStore requisites, MerchantCache merchants, CreatePaymentLink links, TimeProvider clock)
{
    public const int MaxLines = 100;
    public const int MaxDueDays = 85;   // the link must expire within LinkOptions.MaxLifetimeDays (90)
    private const int MaxAttempts = 8;

    public async Task<Result<Invoice>> HandleAsync(string merchantId, CreateInvoiceRequest r, CancellationToken ct)
    {
        var merchant = await merchants.GetAsync(merchantId, ct);
        if (merchant is null) return Error.NotFound($"Merchant '{merchantId}'");
        var seller = await requisites.GetAsync(merchantId, ct);
        if (seller is null) return Error.Validation("requisites", "Fill in the requisites first (PUT /api/v1/requisites or Settings → Requisites).");
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, merchant.Zone).DateTime);

        var e = new ValidationErrors();
        var buyer = ValidateBuyer(r.Buyer, e);
        var lines = ValidateLines(r.Items, seller.DefaultVat, e);
        var due = r.DueDate ?? today.AddDays(seller.DueDays ?? Requisites.DefaultDueDays);
        if (due < today) e.Add("dueDate", "dueDate must not be before today.");
        else if (due > today.AddDays(MaxDueDays)) e.Add("dueDate", $"dueDate must be within {MaxDueDays} days.");
        var comment = string.IsNullOrWhiteSpace(r.Comment) ? null : r.Comment.Trim();
        if (comment?.Length > 500) e.Add("comment", "comment must be at most 500 characters.");
        if (e.Any) return e.ToError();

        var own = db.Database.CurrentTransaction is null;
        await using var tx = own ? await db.Database.BeginTransactionAsync(ct) : null;
        var t = db.Database.CurrentTransaction!;
        var before = db.ChangeTracker.Entries().Select(x => x.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        var id = Ids.New("inv", clock);
        for (var attempt = 1; ; attempt++)
        {
            await t.CreateSavepointAsync("invoice", ct);
            var number = await NextNumberAsync(merchantId, today.Year, ct);
            // Expires at the end of the due day in the merchant's zone; a transfer that comes later is still recorded.
            var expires = new DateTimeOffset(due.AddDays(1).ToDateTime(TimeOnly.MinValue), merchant.Zone.GetUtcOffset(due.ToDateTime(TimeOnly.MinValue)));
            var link = await links.HandleAsync(merchantId, new CreatePaymentLinkRequest(
                Currency: "RUB", Description: $"Оплата по счёту № {number} от {InvoicePdf.Date(today)}",
                Customer: buyer!.Email is null ? null : new CustomerInput(buyer.Name, null, buyer.Email),
                Items: lines!.Select(LinkItem).ToList(),
                ExpiresAt: expires, Metadata: new Dictionary<string, string> { ["invoiceId"] = id }), ct);
            if (!link.IsSuccess)
            {
                await t.RollbackToSavepointAsync("invoice", ct);
                Detach(before);
                return link.Error!;
            }
            var invoice = Invoice.Create(id, merchantId, today.Year, number, now, today, due, buyer, lines!, seller, comment, link.Value.Id, link.Value.Code);
            db.Invoices.Add(invoice);
            try
            {
                await db.SaveChangesAsync(ct);
                if (tx is not null) await tx.CommitAsync(ct);
                return invoice;
            }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex) && attempt < MaxAttempts)
            {
                // A concurrent issue took this number: undo the link too and take the next one.
                await t.RollbackToSavepointAsync("invoice", ct);
                Detach(before);
            }
        }
    }

    /// <summary>
    /// The link's item of a line. Link items (and 54-FZ receipts built from them) count whole units, so a fractional line
    /// becomes one unit of «name (1,5 ч)» at the line's amount: the money is the same, the quantity stays readable.
    /// </summary>
    internal static LinkItemInput LinkItem(InvoiceLine l) => decimal.IsInteger(l.Quantity)
        ? new LinkItemInput(l.Name, (int)l.Quantity, l.AmountMinor, Vat: l.Vat, PaymentObject: "service")
        : new LinkItemInput($"{l.Name} ({RussianMoney.Quantity(l.Quantity)} {l.Unit})", 1, l.AmountMinor, Vat: l.Vat, PaymentObject: "service");

    private void Detach(HashSet<object> before)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(x => !before.Contains(x.Entity)).ToList()) entry.State = EntityState.Detached;
    }

    private async Task<int> NextNumberAsync(string merchantId, int year, CancellationToken ct) =>
        (await db.Invoices.IgnoreQueryFilters().Where(i => i.MerchantId == merchantId && i.Year == year).MaxAsync(i => (int?)i.Number, ct) ?? 0) + 1;

    internal static InvoiceBuyer? ValidateBuyer(InvoiceBuyerInput? b, ValidationErrors e)
    {
        if (b is null)
        {
            e.Add("buyer", "buyer is required: {name, inn, kpp (companies)}.");
            return null;
        }
        static string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var name = T(b.Name);
        var inn = T(b.Inn);
        var kpp = T(b.Kpp)?.ToUpperInvariant();
        var address = T(b.Address);
        var email = T(b.Email);
        if (name is null) e.Add("buyer.name", "buyer.name is required, e.g. ООО «Вектор».");
        else if (name.Length > 300) e.Add("buyer.name", "buyer.name must be at most 300 characters.");
        if (inn is null) e.Add("buyer.inn", "buyer.inn is required (10 digits for a company, 12 for an ИП).");
        else if (!RequisiteChecks.IsValidInn(inn)) e.Add("buyer.inn", "buyer.inn must be 10 or 12 digits with valid check digits.");
        if (inn?.Length == 10 && kpp is not null && !RequisiteChecks.IsValidKpp(kpp))
            e.Add("buyer.kpp", "buyer.kpp must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits.");
        if (inn?.Length == 12 && kpp is not null) e.Add("buyer.kpp", "An ИП (12-digit inn) has no kpp; leave it empty.");
        if (address?.Length > 500) e.Add("buyer.address", "buyer.address must be at most 500 characters.");
        if (email is not null && !ContactFormats.IsValidEmail(email)) e.Add("buyer.email", "buyer.email is not a valid e-mail address.");
        return name is null || inn is null ? null : new InvoiceBuyer(name, inn, kpp, address, email);
    }

    internal static List<InvoiceLine>? ValidateLines(IReadOnlyList<InvoiceLineInput>? items, string defaultVat, ValidationErrors e)
    {
        if (items is null || items.Count == 0)
        {
            e.Add("items", "items is required: at least one {name, quantity, price}.");
            return null;
        }
        if (items.Count > MaxLines)
        {
            e.Add("items", $"At most {MaxLines} items.");
            return null;
        }
        var lines = new List<InvoiceLine>();
        long total = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var it = items[i];
            var p = $"items[{i}]";
            if (it is null) { e.Add(p, $"{p} must be an object."); continue; }
            var name = it.Name?.Trim();
            var unit = string.IsNullOrWhiteSpace(it.Unit) ? "усл." : it.Unit.Trim();
            var qty = it.Quantity ?? 1;
            var vat = it.Vat ?? defaultVat;
            var ok = true;
            if (string.IsNullOrEmpty(name)) { e.Add($"{p}.name", $"{p}.name is required."); ok = false; }
            else if (name.Length > 128) { e.Add($"{p}.name", $"{p}.name must be at most 128 characters."); ok = false; }
            if (qty <= 0) { e.Add($"{p}.quantity", $"{p}.quantity must be greater than 0."); ok = false; }
            else if (qty > InvoiceLineMath.MaxQuantity) { e.Add($"{p}.quantity", $"{p}.quantity must be at most 100000."); ok = false; }
            else if (!InvoiceLineMath.HasAllowedScale(qty)) { e.Add($"{p}.quantity", $"{p}.quantity must have at most 3 decimals (e.g. 1.5 or 0.125)."); ok = false; }
            if (unit.Length > 10) { e.Add($"{p}.unit", $"{p}.unit must be at most 10 characters (шт, усл., ч…)."); ok = false; }
            if (it.Price is not { } price || price <= 0 || price > 100_000_000_00) { e.Add($"{p}.price", $"{p}.price must be a positive amount in kopecks up to 10 000 000 000."); ok = false; price = 0; }
            if (!Requisites.VatRates.Contains(vat)) { e.Add($"{p}.vat", $"{p}.vat must be one of: {string.Join(", ", Requisites.VatRates)}."); ok = false; }
            if (!ok) continue;
            qty = InvoiceLineMath.Normalise(qty);
            var amount = InvoiceLineMath.Amount(price, qty);
            if (amount <= 0)
            {
                e.Add($"{p}.quantity", $"{p}.quantity × price rounds to 0 kopecks; the line must cost at least 1 kopeck.");
                continue;
            }
            total += amount;
            lines.Add(new InvoiceLine(name!, qty, unit, price, amount, vat, VatMath.Included(amount, vat)));
        }
        if (total > 100_000_000_00) e.Add("items", "The total must be at most 10 000 000 000 kopecks.");
        return lines;
    }
}
