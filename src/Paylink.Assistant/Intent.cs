namespace Paylink.Assistant;

/// <summary>
/// What the customer wants the assistant to do. When a message carries several intents
/// ("привет, сколько стоит маникюр и можно на завтра?") the label is the one the assistant must act on:
/// an action (book, reschedule, cancel, refund, pay) beats a question (price, status, info), which beats a bare
/// reply (confirm, decline) and a <see cref="Greeting"/>.
/// </summary>
public enum Intent
{
    /// <summary>Not understood or not about an order; the caller asks again or hands over to a person.</summary>
    Other = 0,
    /// <summary>Wants to book or buy a service.</summary>
    Book,
    /// <summary>Wants to pay, asks for a payment link or how to pay.</summary>
    Pay,
    /// <summary>Asks what something costs.</summary>
    Price,
    /// <summary>Wants to move an existing booking.</summary>
    Reschedule,
    /// <summary>Wants to cancel a booking or an order.</summary>
    Cancel,
    /// <summary>Wants money back.</summary>
    Refund,
    /// <summary>Agrees to what was proposed ("да", "подходит").</summary>
    Confirm,
    /// <summary>Declines what was proposed ("нет", "не подходит").</summary>
    Decline,
    /// <summary>Only says hello or thanks.</summary>
    Greeting,
    /// <summary>Asks about or reports the state of a payment or booking ("оплату видите?", "я оплатила", "запись в силе?").</summary>
    Status,
    /// <summary>Asks about a service or the business, neither price nor an action ("сколько длится…", "где вы находитесь").</summary>
    Info,
}

/// <summary>Wire names of <see cref="Intent"/> (lowercase, as in the training data and the CLI output).</summary>
public static class IntentNames
{
    private static readonly string[] Names = ["other", "book", "pay", "price", "reschedule", "cancel", "refund", "confirm", "decline", "greeting", "status", "info"];

    /// <summary>All intents in a fixed order (used for reports and the confusion matrix).</summary>
    public static IReadOnlyList<Intent> All { get; } = Enum.GetValues<Intent>();

    public static string ToName(this Intent intent) => Names[(int)intent];

    public static bool TryParse(string? name, out Intent intent)
    {
        var i = name is null ? -1 : Array.IndexOf(Names, name);
        intent = i < 0 ? Intent.Other : (Intent)i;
        return i >= 0;
    }
}
