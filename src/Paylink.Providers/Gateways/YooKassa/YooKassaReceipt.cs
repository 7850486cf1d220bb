using System.Globalization;
using System.Text.Json.Nodes;
using Paylink.Core.Common;
using Paylink.Core.Receipts;

namespace Paylink.Providers.Gateways.YooKassa;

/// <summary>Paylink's neutral receipt → YooKassa's <c>receipt</c> object. Item <c>amount</c> is the unit price
/// (line total = amount × quantity); money as decimal strings.</summary>
public static class YooKassaReceipt
{
    private static readonly Dictionary<string, int> TaxSystems = new()
    {
        ["osn"] = 1, ["usn_income"] = 2, ["usn_income_outcome"] = 3, ["esn"] = 5, ["patent"] = 6,
    };

    private static readonly Dictionary<string, int> Vat = new()
    {
        ["none"] = 1, ["vat0"] = 2, ["vat10"] = 3, ["vat20"] = 4, ["vat110"] = 5, ["vat120"] = 6, ["vat5"] = 7, ["vat7"] = 8,
        ["vat105"] = 9, ["vat107"] = 10, ["vat22"] = 11, ["vat122"] = 12,
    };

    public static int TaxSystemCode(string s) => TaxSystems[s];

    public static JsonObject Customer(FiscalReceipt r)
    {
        var c = new JsonObject();
        if (r.Email is not null) c["email"] = r.Email;
        if (r.Phone is not null) c["phone"] = r.Phone.TrimStart('+');
        return c;
    }

    public static JsonArray Items(FiscalReceipt r, string currency)
    {
        var items = new JsonArray();
        foreach (var i in r.Items)
            items.Add(new JsonObject
            {
                ["description"] = i.Name,
                ["quantity"] = i.Quantity.ToString("0.00", CultureInfo.InvariantCulture),
                ["amount"] = new JsonObject { ["value"] = MoneyFormat.Decimal(i.PriceMinor), ["currency"] = currency },
                ["vat_code"] = Vat[i.Vat],
                ["payment_mode"] = i.PaymentMethod == "prepayment" ? "partial_prepayment" : i.PaymentMethod,
                ["payment_subject"] = i.PaymentObject,
                ["measure"] = i.Measure,
            });
        return items;
    }

    public static JsonObject ToJson(FiscalReceipt r) => new()
    {
        ["customer"] = Customer(r), ["tax_system_code"] = TaxSystemCode(r.TaxSystem), ["items"] = Items(r, "RUB"),
    };
}
