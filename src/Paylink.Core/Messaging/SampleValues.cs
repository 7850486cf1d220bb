using Paylink.Core.Common;
using Paylink.Core.Merchants;
using Paylink.Core.Localization;

namespace Paylink.Core.Messaging;

/// <summary>Sample data for template previews, formatted like real messages (merchant's locale and time zone).</summary>
public static class SampleValues
{
    public static TemplateValues For(Merchant merchant, string lang)
    {
        var visit = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var local = DateFormat.ToLocal(visit, merchant.Zone);
        var T = Texts.For(lang);
        return new TemplateValues
        {
            ["client.name"] = T["Анна"],
            ["service"] = T["Маникюр с покрытием гель-лак"],
            ["description"] = T["Маникюр с покрытием гель-лак"],
            ["amount"] = MoneyFormat.Format(new Money(250000, merchant.DefaultCurrency), lang),
            ["link"] = "https://pay.example/p/a2b3c4d5e6",
            ["merchant.name"] = merchant.Name,
            ["order"] = "42",
            ["expires"] = DateFormat.DateTime(visit.AddDays(3), merchant.Zone, lang),
            ["date"] = DateFormat.Date(local, lang),
            ["time"] = local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
