using Paylink.Core.Common;

namespace Paylink.Core.Receipts;

/// <summary>
/// queued → sending → registered → cancelling → cancelled; queued/sending → failed (refused for good).
/// <list type="bullet">
/// <item><b>queued</b>: nothing was sent, or what was sent is known not to have been processed (outage).</item>
/// <item><b>sending</b>: the registration was sent and its answer is not known yet; only a lookup may move it
/// (to registered when the income is found, back to queued when it is not).</item>
/// <item><b>cancelling</b>: a cancel was sent; a lookup or a repeated cancel (harmless) settles it.</item>
/// </list>
/// </summary>
public enum SelfEmployedReceiptStatus { Queued, Sending, Registered, Cancelling, Cancelled, Failed }

/// <summary>
/// One «Мой налог» income for a payment. A payment has a sequence of them: the first for the amount paid; a
/// partial refund cancels the live one and adds the next for what is left. At most one per payment is live
/// (not cancelled or failed). Unique (payment, sequence), so two jobs racing to add the next one cannot both win.
/// Every state change goes through the methods below and is saved under the <see cref="Version"/> token.
/// </summary>
public sealed class SelfEmployedReceipt : IMerchantOwned
{
    public const int MaxError = 500;

    private SelfEmployedReceipt() { }

    /// <summary>Our id; also the tag written into the service name, so a lookup can recognise the income.</summary>
    public string Id { get; private set; } = "";
    public string MerchantId { get; private set; } = "";
    public string PaymentId { get; private set; } = "";
    public string LinkId { get; private set; } = "";
    public int Sequence { get; private set; }
    public long AmountMinor { get; private set; }
    public string Currency { get; private set; } = "RUB";
    /// <summary>When the income was received (the payment, or the refund that left the remainder).</summary>
    public DateTimeOffset OperationTime { get; private set; }
    /// <summary>The lines as registered: JSON array of {name, amount (kopecks), quantity}.</summary>
    public string ServicesJson { get; private set; } = "[]";
    public string ClientType { get; private set; } = "individual";
    public string? ClientInn { get; private set; }
    public string? ClientName { get; private set; }
    public SelfEmployedReceiptStatus Status { get; private set; }
    /// <summary>The tax service's receipt id (approvedReceiptUuid).</summary>
    public string? ReceiptId { get; private set; }
    public string? ReceiptUrl { get; private set; }
    public string? AccountId { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    /// <summary>A job holds the receipt while it talks to the tax service, until this time (a crashed holder's lease runs out).</summary>
    public DateTimeOffset? ClaimedUntil { get; private set; }
    /// <summary>When the buyer was sent the receipt link in the channel the payment link went to.</summary>
    public DateTimeOffset? NotifiedAt { get; private set; }
    public int Version { get; private set; }

    public Money Amount => new(AmountMinor, Currency);
    public bool IsLive => Status is not (SelfEmployedReceiptStatus.Cancelled or SelfEmployedReceiptStatus.Failed);

    public static SelfEmployedReceipt Plan(string merchantId, string paymentId, string linkId, int sequence, long amount, DateTimeOffset operationTime,
        string servicesJson, string clientType, string? clientInn, string? clientName, TimeProvider clock) => new()
    {
        Id = Ids.New("npr", clock), MerchantId = merchantId, PaymentId = paymentId, LinkId = linkId, Sequence = sequence, AmountMinor = amount,
        OperationTime = operationTime, ServicesJson = servicesJson, ClientType = clientType, ClientInn = clientInn, ClientName = clientName,
        Status = SelfEmployedReceiptStatus.Queued, CreatedAt = clock.GetUtcNow(),
    };

    public bool IsClaimed(DateTimeOffset now) => ClaimedUntil is { } until && until > now;

    /// <summary>queued → sending, held until <paramref name="until"/>: from here on the outcome is unknown until answered.</summary>
    public Result<bool> StartSending(string accountId, DateTimeOffset until)
    {
        if (Status != SelfEmployedReceiptStatus.Queued) return Illegal("send");
        Status = SelfEmployedReceiptStatus.Sending;
        AccountId = accountId;
        Attempts++;
        ClaimedUntil = until;
        Version++;
        return true;
    }

    /// <summary>Holds a receipt whose state is unsure (sending, cancelling) while a lookup runs.</summary>
    public void Claim(DateTimeOffset until)
    {
        ClaimedUntil = until;
        Version++;
    }

    public Result<bool> Registered(string receiptId, string url, DateTimeOffset at)
    {
        if (Status == SelfEmployedReceiptStatus.Registered && ReceiptId == receiptId) return false;
        if (Status != SelfEmployedReceiptStatus.Sending) return Illegal("register");
        Status = SelfEmployedReceiptStatus.Registered;
        ReceiptId = receiptId;
        ReceiptUrl = url;
        RegisteredAt = at;
        LastError = null;
        ClaimedUntil = null;
        Version++;
        return true;
    }

    /// <summary>sending → queued: the tax service did not process it (an outage before processing, or a lookup found nothing).</summary>
    public Result<bool> NotSent(string? error)
    {
        if (Status is not (SelfEmployedReceiptStatus.Sending or SelfEmployedReceiptStatus.Queued)) return Illegal("requeue");
        Status = SelfEmployedReceiptStatus.Queued;
        if (error is not null) LastError = Trim(error);
        ClaimedUntil = null;
        Version++;
        return true;
    }

    /// <summary>Keeps the state (sending stays sending: unknown) and records why the job will try again.</summary>
    public void Waiting(string error)
    {
        LastError = Trim(error);
        ClaimedUntil = null;
        Version++;
    }

    /// <summary>An answer that never came: the state stays (sending, cancelling) and no one looks it up before
    /// <paramref name="until"/>, so a request still being processed at the tax service has time to show in its list.</summary>
    public void Unsettled(string error, DateTimeOffset until)
    {
        LastError = Trim(error);
        ClaimedUntil = until;
        Version++;
    }

    public Result<bool> Fail(string error)
    {
        if (Status is not (SelfEmployedReceiptStatus.Queued or SelfEmployedReceiptStatus.Sending)) return Illegal("fail");
        Status = SelfEmployedReceiptStatus.Failed;
        LastError = Trim(error);
        ClaimedUntil = null;
        Version++;
        return true;
    }

    public Result<bool> StartCancelling(DateTimeOffset until)
    {
        if (Status != SelfEmployedReceiptStatus.Registered && Status != SelfEmployedReceiptStatus.Cancelling) return Illegal("cancel");
        Status = SelfEmployedReceiptStatus.Cancelling;
        Attempts++;
        ClaimedUntil = until;
        Version++;
        return true;
    }

    /// <summary>A receipt never registered (queued) is withdrawn without a call; a registered one after the tax service cancelled it.</summary>
    public Result<bool> Cancelled(DateTimeOffset at)
    {
        if (Status == SelfEmployedReceiptStatus.Cancelled) return false;
        if (Status is not (SelfEmployedReceiptStatus.Cancelling or SelfEmployedReceiptStatus.Queued)) return Illegal("mark cancelled");
        Status = SelfEmployedReceiptStatus.Cancelled;
        CancelledAt = at;
        LastError = null;
        ClaimedUntil = null;
        Version++;
        return true;
    }

    public void Notified(DateTimeOffset at)
    {
        NotifiedAt ??= at;
        Version++;
    }

    private Error Illegal(string what) =>
        Error.Conflict("npd_receipt_state", $"Self-employed receipt {Id} is {Status.ToString().ToLowerInvariant()}; cannot {what} it.");

    private static string Trim(string s) => s.Length > MaxError ? s[..MaxError] : s;
}
