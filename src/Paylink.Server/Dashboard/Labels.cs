namespace Paylink.Server.Dashboard;

/// <summary>What people read instead of provider ids: «Telegram», «Чат на сайте», «SMS (МТС Exolve)».</summary>
public static class Labels
{
    /// <summary>A channel provider id as the owner knows it; an id this table does not know is shown as it is.</summary>
    public static string Channel(DashContext c, string? id) => id switch
    {
        null or "" or "none" => c.L("не отправлялась", "not sent"),
        "webchat" => c.L("Чат на сайте", "Website chat"),
        "telegram" => "Telegram",
        "max" => "MAX",
        "vk" => c.L("ВКонтакте", "VK"),
        "exolve" => c.L("SMS (МТС Exolve)", "SMS (MTS Exolve)"),
        "email" => "E-mail",
        "unknown" => c.L("неизвестно", "unknown"),
        _ => id,
    };

    /// <summary>How a payment was paid: card, SBP, other; a link whose checkout never started has none.</summary>
    public static string Method(DashContext c, string method) => method switch
    {
        "card" => c.L("Карта", "Card"),
        "sbp" => c.L("СБП", "SBP"),
        "other" => c.L("Другое", "Other"),
        _ => c.L("оплата не начиналась", "no checkout"),
    };
}
