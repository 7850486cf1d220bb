using System.Text.Json.Nodes;
using Paylink.Core.Receipts;

namespace Paylink.Providers.Gateways.TBank;

/// <summary>Paylink's neutral receipt → T-Bank's <c>Receipt</c> object (FFD 1.05 or 1.2), amounts in kopecks.</summary>
public static class TBankReceipt
{
    private static readonly Dictionary<string, string> Measures = new()
    {
        ["piece"] = "шт", ["gram"] = "г", ["kilogram"] = "кг", ["liter"] = "л", ["milliliter"] = "мл", ["meter"] = "м",
        ["hour"] = "ч", ["day"] = "дн", ["minute"] = "мин", ["another"] = "-",
    };

    public static JsonObject ToJson(FiscalReceipt r)
    {
        var ffd12 = r.FfdVersion == "1.2";
        var o = new JsonObject();
        if (ffd12) o["FfdVersion"] = "1.2";
        if (r.Email is not null) o["Email"] = r.Email;
        if (r.Phone is not null) o["Phone"] = r.Phone;
        o["Taxation"] = r.TaxSystem;
        var items = new JsonArray();
        foreach (var i in r.Items)
        {
            var item = new JsonObject
            {
                ["Name"] = i.Name, ["Price"] = i.PriceMinor, ["Quantity"] = i.Quantity, ["Amount"] = i.AmountMinor, ["Tax"] = i.Vat,
                ["PaymentMethod"] = i.PaymentMethod, ["PaymentObject"] = i.PaymentObject,
            };
            if (ffd12) item["MeasurementUnit"] = Measures.GetValueOrDefault(i.Measure, "-");
            items.Add(item);
        }
        o["Items"] = items;
        return o;
    }
}
