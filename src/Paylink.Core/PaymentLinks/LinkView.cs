using System.Text.Json;
using Paylink.Core.Common;
using Paylink.Core.Payments;

namespace Paylink.Core.PaymentLinks;

/// <summary>The public JSON shape of a link (API and CLI alike). Amounts are integers in minor units.</summary>
public sealed record LinkView(
    string Id, string Code, string Url, string Status, long Amount, string Currency, string Description,
    DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, string? OrderId,
    IReadOnlyList<LinkItemView> Items, IReadOnlyDictionary<string, string>? Metadata, IReadOnlyList<PaymentView> Payments,
    string Capture, bool SavePaymentMethod, string? Gateway, DateTimeOffset? SettledAt, IReadOnlyList<RefundView> Refunds, string? DefaultMethod)
{
    public static LinkView From(PaymentLink l, PublicUrls urls, DateTimeOffset now, IReadOnlyList<Payment>? payments = null,
        IReadOnlyList<Refunds.Refund>? refunds = null) => new(
        l.Id, l.Code, urls.PayPage(l.Code), l.StatusAt(now).ToWire(), l.AmountMinor, l.Currency, l.Description,
        l.ExpiresAt, l.CreatedAt, l.PaidAt, l.OrderRef,
        l.Items.OrderBy(i => i.Position).Select(i => new LinkItemView(i.Name, i.Quantity, i.AmountMinor, i.ServiceId)).ToList(),
        l.MetadataJson is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(l.MetadataJson),
        payments?.Select(PaymentView.From).ToList() ?? [],
        l.CaptureMode == Providers.CaptureMode.Manual ? "manual" : "automatic", l.SavePaymentMethod, l.GatewayAccountId, l.SettledAt,
        refunds?.OrderBy(r => r.CreatedAt).Select(RefundView.From).ToList() ?? [], l.DefaultMethod);
}

public sealed record LinkItemView(string Name, int Quantity, long Amount, string? ServiceId);

/// <summary>A payment as the API shows it; <c>method</c> is card, sbp or other.</summary>
public sealed record PaymentView(string Id, string Provider, string ExternalId, long Amount, string Currency, DateTimeOffset PaidAt,
    string Status, long Captured, long Refunded, string Method)
{
    public static PaymentView From(Payment p) => new(p.Id, p.Provider, p.ExternalId, p.AmountMinor, p.Currency, p.PaidAt,
        p.Status.ToString().ToLowerInvariant(), p.CapturedMinor, p.RefundedMinor, p.Method.ToWire());
}

/// <summary>A refund as the API shows it; <c>status</c> is pending, succeeded or failed.</summary>
public sealed record RefundView(string Id, string LinkId, long Amount, string Currency, string Status, string? Reason, string? FailureReason,
    bool External, bool Receipt, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static RefundView From(Refunds.Refund r) => new(r.Id, r.LinkId, r.AmountMinor, r.Currency, r.Status.ToString().ToLowerInvariant(),
        r.Reason, r.FailureReason, r.External, r.ReceiptJson is not null, r.CreatedAt, r.CompletedAt);
}
