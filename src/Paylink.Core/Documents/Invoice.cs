using System.Text.Json;
using Paylink.Core.Common;

namespace Paylink.Core.Documents;

public enum InvoiceStatus { Open, Paid, Cancelled }

/// <summary>
/// One line of a счёт. <see cref="Quantity"/> may be fractional (1,5 ч, 0,25 кг; at most 3 decimals);
/// <see cref="AmountMinor"/> = <see cref="InvoiceLineMath.Amount"/>(price, quantity), VAT included (<see cref="VatMinor"/> of it,
/// computed from this rounded amount). The счёт's total is the sum of its lines' amounts, so printed lines always add up.
/// </summary>
public sealed record InvoiceLine(string Name, decimal Quantity, string Unit, long PriceMinor, long AmountMinor, string Vat, long VatMinor);

/// <summary>The buyer of a счёт: a company (10-digit ИНН, КПП) or an ИП (12-digit ИНН).</summary>
public sealed record InvoiceBuyer(string Name, string Inn, string? Kpp, string? Address, string? Email);

/// <summary>
/// A счёт на оплату to a company, numbered per merchant and calendar year without gaps (unique index on
/// merchant, year, number; <see cref="CreateInvoice"/> retries on a collision). The seller's requisites are frozen at
/// issue (<see cref="SellerJson"/>), so the document reads the same after the merchant edits them. It is payable by bank
/// transfer (matched from a statement) and by card/SBP through <see cref="LinkId"/>; either way the link's payment marks
/// it paid. Kept with the payment records: a client's erasure does not touch it (an accounting document, 402-FZ).
/// </summary>
public sealed class Invoice : IMerchantOwned
{
    private Invoice() { }

    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public int Year { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    /// <summary>The issue date in the merchant's zone, as printed.</summary>
    public DateOnly IssueDate { get; private set; }
    public DateOnly DueDate { get; private set; }
    public string BuyerName { get; private set; } = "";
    public string BuyerInn { get; private set; } = "";
    public string? BuyerKpp { get; private set; }
    public string? BuyerAddress { get; private set; }
    public string? BuyerEmail { get; private set; }
    public string LinesJson { get; private set; } = "[]";
    public string SellerJson { get; private set; } = "{}";
    public long AmountMinor { get; private set; }
    public long VatMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    /// <summary>The text for the payment order's «Назначение платежа»; carries the number, so a statement can be matched.</summary>
    public string Purpose { get; private set; } = "";
    public string? Comment { get; private set; }
    /// <summary>The payment link that takes card/SBP payments of this счёт and records any payment of it.</summary>
    public string LinkId { get; private set; } = "";
    /// <summary>The link's public code (/p/{code}), printed on the счёт.</summary>
    public string LinkCode { get; private set; } = "";
    public InvoiceStatus Status { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public int Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);
    public string NumberText => Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<InvoiceLine> Lines => JsonSerializer.Deserialize<List<InvoiceLine>>(LinesJson, PaylinkJson.Output)!;
    public Requisites Seller => JsonSerializer.Deserialize<Requisites>(SellerJson, Requisites.Json)!;

    internal static Invoice Create(string id, string merchantId, int year, int number, DateTimeOffset issuedAt, DateOnly issueDate, DateOnly dueDate,
        InvoiceBuyer buyer, IReadOnlyList<InvoiceLine> lines, Requisites seller, string? comment, string linkId, string linkCode) => new()
        {
            Id = id, MerchantId = merchantId, Year = year, Number = number, IssuedAt = issuedAt, IssueDate = issueDate, DueDate = dueDate,
            BuyerName = buyer.Name, BuyerInn = buyer.Inn, BuyerKpp = buyer.Kpp, BuyerAddress = buyer.Address, BuyerEmail = buyer.Email,
            LinesJson = JsonSerializer.Serialize(lines, PaylinkJson.Output), SellerJson = JsonSerializer.Serialize(seller, Requisites.Json),
            AmountMinor = lines.Sum(l => l.AmountMinor), VatMinor = lines.Sum(l => l.VatMinor), Comment = comment, LinkId = linkId, LinkCode = linkCode,
            Purpose = PurposeText(number, issueDate, lines), Status = InvoiceStatus.Open,
        };

    /// <summary>Gives the invoice another number after a concurrent creation took this one (not yet saved).</summary>
    internal void Renumber(int number)
    {
        Number = number;
        Purpose = PurposeText(number, IssueDate, Lines);
    }

    /// <summary>«Оплата по счёту № 17 от 18.11.2026. В т.ч. НДС 22 % 3 967,21 руб.» or «… Без НДС»; at most 210 characters (GOST R 56042).</summary>
    internal static string PurposeText(int number, DateOnly date, IReadOnlyList<InvoiceLine> lines)
    {
        var head = $"Оплата по счёту № {number.ToString(System.Globalization.CultureInfo.InvariantCulture)} от {date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture)}.";
        return head + " " + VatSummary(lines);
    }

    /// <summary>«В т.ч. НДС 22 % 3 967,21 руб.» per rate, or «Без НДС» when no line carries VAT.</summary>
    public static string VatSummary(IReadOnlyList<InvoiceLine> lines)
    {
        var taxed = lines.Where(l => l.Vat != "none").GroupBy(l => l.Vat).ToList();
        if (taxed.Count == 0) return "Без НДС";
        return string.Join(" ", taxed.Select(g => $"В т.ч. НДС {VatMath.Percent(g.Key)} % {RussianMoney.Amount(g.Sum(l => l.VatMinor))} руб."));
    }

    /// <summary>Marks the счёт paid (its link was paid). False when already paid; a cancelled счёт paid anyway is paid (the money came).</summary>
    public bool MarkPaid(DateTimeOffset at)
    {
        if (Status == InvoiceStatus.Paid) return false;
        Status = InvoiceStatus.Paid;
        PaidAt = at;
        Version++;
        return true;
    }

    public Result<bool> Cancel(DateTimeOffset at)
    {
        switch (Status)
        {
            case InvoiceStatus.Cancelled: return false;
            case InvoiceStatus.Paid: return Error.Conflict("invoice_paid", $"Invoice № {NumberText} is paid; refund it instead of cancelling.");
            default:
                Status = InvoiceStatus.Cancelled;
                CancelledAt = at;
                Version++;
                return true;
        }
    }
}

/// <summary>The money of a счёт line with a fractional quantity.</summary>
public static class InvoiceLineMath
{
    public const decimal MaxQuantity = 100_000m;
    public const int QuantityDecimals = 3;

    /// <summary>
    /// price × quantity in kopecks, rounded to a whole kopeck half away from zero (0,5 kopeck → 1): the one rounding of a line.
    /// Exact for whole quantities. The caller keeps price ≤ 10¹⁰ and quantity ≤ 10⁵, so the product fits a long.
    /// </summary>
    public static long Amount(long priceMinor, decimal quantity) =>
        (long)Math.Round(priceMinor * quantity, 0, MidpointRounding.AwayFromZero);

    /// <summary>Whether the quantity has at most <see cref="QuantityDecimals"/> decimals (1,5 and 0,125 do, 1,2345 does not).</summary>
    public static bool HasAllowedScale(decimal quantity) => Math.Round(quantity, QuantityDecimals) == quantity;

    /// <summary>The same value without trailing zeros (1,500 → 1,5), so JSON and documents show it one way.</summary>
    public static decimal Normalise(decimal quantity) => quantity / 1.000000000000000000000000000000000m;
}

/// <summary>VAT included in a gross amount, by the 2026 rates.</summary>
public static class VatMath
{
    public static int Percent(string vat) => vat switch
    {
        "vat0" => 0, "vat5" => 5, "vat7" => 7, "vat10" => 10, "vat22" => 22, _ => 0,
    };

    /// <summary>The VAT inside <paramref name="grossMinor"/> at <paramref name="vat"/>: gross × r / (100 + r), rounded half away from zero.</summary>
    public static long Included(long grossMinor, string vat)
    {
        var r = Percent(vat);
        if (r == 0) return 0;
        return (grossMinor * r * 2 + (100 + r)) / (2 * (100 + r));
    }

    public static string Label(string vat) => vat == "none" ? "Без НДС" : $"{Percent(vat)} %";
}
