using Paylink.Core.Common;
using Paylink.Core.Merchants;
using Paylink.Core.PaymentLinks;
using Paylink.Core.Providers;
using Paylink.Core.Localization;

namespace Paylink.Core.Messaging;

/// <summary>Template values of a payment link, formatted for the merchant's locale and time zone.</summary>
public static class LinkTemplateValues
{
    public static TemplateValues For(PaymentLink link, Merchant merchant, string? clientName, string payUrl, string lang)
    {
        var zone = merchant.Zone;
        var local = DateFormat.ToLocal(link.ExpiresAt, zone);
        return new TemplateValues
        {
            ["client.name"] = clientName ?? "",
            ["service"] = link.Items.Count > 0 ? string.Join(", ", link.Items.Select(i => i.Name)) : link.Description,
            ["description"] = link.Description,
            ["amount"] = MoneyFormat.Format(link.Amount, lang),
            ["link"] = payUrl,
            ["merchant.name"] = merchant.Name,
            ["order"] = link.OrderRef ?? "",
            ["expires"] = DateFormat.DateTime(link.ExpiresAt, zone, lang),
            ["date"] = DateFormat.Date(local, lang),
            ["time"] = local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"Оплатить 2 500 ₽" / "Pay ₽2,500".</summary>
    public static MessageButton PayButton(PaymentLink link, string payUrl, string lang) =>
        new(Texts.For(lang)["Оплатить "] + MoneyFormat.Short(link.Amount, lang), payUrl);

    /// <summary>"Оплатить через СБП 2 500 ₽" / "Pay with SBP ₽2,500": to the pay page's SBP step.</summary>
    public static MessageButton SbpButton(PaymentLink link, string sbpUrl, string lang) =>
        new(Texts.For(lang)["Оплатить через СБП "] + MoneyFormat.Short(link.Amount, lang), sbpUrl);
}
