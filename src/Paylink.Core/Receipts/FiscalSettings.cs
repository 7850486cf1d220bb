using Paylink.Core.Common;

namespace Paylink.Core.Receipts;

/// <summary>
/// A merchant's 54-FZ choices. They are the merchant's (and its accountant's) decisions; Paylink never
/// guesses them. Values use Paylink's neutral names (see <see cref="FiscalCodes"/>); each gateway maps
/// them to its wire format.
/// </summary>
public sealed class FiscalSettings
{
    /// <summary>Send a receipt with every payment and refund through the gateway's cash register.</summary>
    public bool ReceiptsEnabled { get; set; }
    /// <summary>Tax regime: osn, usn_income, usn_income_outcome, esn, patent (tag 1055 of 54-FZ receipts), or npd — a
    /// self-employed seller (422-FZ), who has no cash register: no 54-FZ receipt goes to the gateway, each income is
    /// registered in «Мой налог» instead (see <see cref="SelfEmployedReceipt"/>).</summary>
    public string TaxSystem { get; set; } = "usn_income";
    /// <summary>VAT rate (tag 1199) used for items that do not name one; from 2026 the standard rate is vat22.</summary>
    public string DefaultVat { get; set; } = "none";
    /// <summary>Payment method flag (tag 1214) of payment receipts: full_payment when the service is rendered
    /// at payment, full_prepayment when it is rendered later (then a closing receipt follows).</summary>
    public string PaymentMethod { get; set; } = "full_payment";
    /// <summary>Payment object flag (tag 1212) for items that do not name one: service or commodity.</summary>
    public string DefaultPaymentObject { get; set; } = "service";
    /// <summary>Measure unit (tag 2108), mandatory in FFD 1.2.</summary>
    public string DefaultMeasure { get; set; } = "piece";
    /// <summary>FFD version of the cash register behind the gateway: 1.05 or 1.2.</summary>
    public string FfdVersion { get; set; } = "1.2";

    /// <summary>The merchant is self-employed (НПД): incomes go to «Мой налог», never a 54-FZ receipt.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSelfEmployed => TaxSystem == FiscalCodes.SelfEmployed;

    /// <summary>A 54-FZ receipt goes to the gateway's cash register with payments and refunds (never for НПД).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool GatewayReceipts => ReceiptsEnabled && !IsSelfEmployed;

    public static Result<FiscalSettings> Validate(bool enabled, string? taxSystem, string? defaultVat, string? paymentMethod,
        string? defaultPaymentObject, string? defaultMeasure, string? ffdVersion)
    {
        var e = new ValidationErrors();
        var s = new FiscalSettings { ReceiptsEnabled = enabled };
        s.TaxSystem = Pick(e, "taxSystem", taxSystem, s.TaxSystem, FiscalCodes.TaxSystems);
        s.DefaultVat = Pick(e, "defaultVat", defaultVat, s.DefaultVat, FiscalCodes.VatRates);
        s.PaymentMethod = Pick(e, "paymentMethod", paymentMethod, s.PaymentMethod, FiscalCodes.PaymentMethods);
        s.DefaultPaymentObject = Pick(e, "defaultPaymentObject", defaultPaymentObject, s.DefaultPaymentObject, FiscalCodes.PaymentObjects);
        s.DefaultMeasure = Pick(e, "defaultMeasure", defaultMeasure, s.DefaultMeasure, FiscalCodes.Measures);
        s.FfdVersion = Pick(e, "ffdVersion", ffdVersion, s.FfdVersion, FiscalCodes.FfdVersions);
        if (enabled && s.IsSelfEmployed)
            e.Add("receiptsEnabled", "receiptsEnabled must be false with taxSystem npd: the self-employed issue no 54-FZ receipts; " +
                "Paylink registers each income in «Мой налог» instead (connect it at /api/v1/self-employed).");
        return e.Any ? e.ToError() : s;
    }

    private static string Pick(ValidationErrors e, string field, string? value, string fallback, IReadOnlyCollection<string> allowed)
    {
        if (value is null) return fallback;
        if (allowed.Contains(value)) return value;
        e.Add(field, $"{field} must be one of {string.Join(", ", allowed)}.");
        return fallback;
    }
}

/// <summary>Paylink's neutral names for 54-FZ values (they follow the T-Bank/YooKassa spellings where those agree).</summary>
public static class FiscalCodes
{
    public const string SelfEmployed = "npd";
    /// <summary>Tag 1055 values, plus npd (self-employed: no 54-FZ receipts at all).</summary>
    public static readonly string[] TaxSystems = ["osn", "usn_income", "usn_income_outcome", "esn", "patent", SelfEmployed];
    /// <summary>vat20/vat120 stay for refunds of 2025 receipts; vat22/vat122 are the 2026 rates.</summary>
    public static readonly string[] VatRates = ["none", "vat0", "vat5", "vat7", "vat10", "vat20", "vat22", "vat105", "vat107", "vat110", "vat120", "vat122"];
    public static readonly string[] PaymentMethods = ["full_prepayment", "prepayment", "advance", "full_payment"];
    public static readonly string[] PaymentObjects = ["service", "commodity", "job", "payment", "another"];
    public static readonly string[] Measures = ["piece", "gram", "kilogram", "liter", "milliliter", "meter", "hour", "day", "minute", "another"];
    public static readonly string[] FfdVersions = ["1.05", "1.2"];
}
