namespace Paylink.Core.Payments;

public enum SandboxCheckoutStatus { Pending, Succeeded, Declined }

/// <summary>
/// State of the sandbox acquirer, the in-process simulation of a bank that Paylink talks to as it would
/// to a real one. Kept apart from Paylink's own records: the acquirer only knows what a real one would.
/// </summary>
public sealed class SandboxCheckout
{
    private SandboxCheckout() { }

    public string Id { get; private set; } = "";
    public string AccountId { get; private set; } = "";
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public string Description { get; private set; } = "";
    /// <summary>The merchant's reference (Paylink's attempt id), echoed in the notification.</summary>
    public string Reference { get; private set; } = "";
    public string NotificationUrl { get; private set; } = "";
    public string ReturnUrl { get; private set; } = "";
    public SandboxCheckoutStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public int NotificationAttempts { get; private set; }
    public DateTimeOffset? NotifiedAt { get; private set; }
    /// <summary>The merchant asked to save the method (autopay, with the customer's consent): paying binds the payer's
    /// sandbox account, whose token (<see cref="AccountToken"/>) later charges use.</summary>
    public bool BindsAccount { get; private set; }

    /// <summary>The token of the account this checkout bound, once it succeeded; derived from the id, so a redelivered
    /// notification carries the same token.</summary>
    public string? AccountToken => BindsAccount && Status == SandboxCheckoutStatus.Succeeded ? TokenPrefix + Id : null;

    public const string TokenPrefix = "sbxacc_";

    public static SandboxCheckout Create(string id, string accountId, long amountMinor, string currency, string description,
        string reference, string notificationUrl, string returnUrl, DateTimeOffset now, bool bindsAccount = false) => new()
        {
            BindsAccount = bindsAccount,
            Id = id, AccountId = accountId, AmountMinor = amountMinor, Currency = currency, Description = description,
            Reference = reference, NotificationUrl = notificationUrl, ReturnUrl = returnUrl,
            Status = SandboxCheckoutStatus.Pending, CreatedAt = now,
        };

    /// <summary>Completes the checkout once; a second completion is refused, like a real acquirer's.</summary>
    public bool Complete(bool success, DateTimeOffset now)
    {
        if (Status != SandboxCheckoutStatus.Pending) return false;
        Status = success ? SandboxCheckoutStatus.Succeeded : SandboxCheckoutStatus.Declined;
        CompletedAt = now;
        return true;
    }

    public void NotificationTried(bool delivered, DateTimeOffset now)
    {
        NotificationAttempts++;
        if (delivered) NotifiedAt = now;
    }
}
