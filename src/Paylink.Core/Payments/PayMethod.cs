namespace Paylink.Core.Payments;

/// <summary>
/// How the customer paid: a bank card (the gateway's hosted page), SBP (the Faster Payments System: a QR
/// or a bank-app link) or anything else the gateway reports (wallets, T-Pay, SberPay, …). Stored per
/// attempt (what the customer chose on our page) and per payment (what the gateway says was used).
/// </summary>
public enum PayMethod { Card, Sbp, Other }

public static class PayMethods
{
    public static string ToWire(this PayMethod m) => m switch
    {
        PayMethod.Sbp => "sbp",
        PayMethod.Other => "other",
        _ => "card",
    };

    /// <summary>"card", "sbp" or "other"; null for anything else.</summary>
    public static PayMethod? Parse(string? s) => s switch
    {
        "card" => PayMethod.Card,
        "sbp" => PayMethod.Sbp,
        "other" => PayMethod.Other,
        _ => null,
    };

    public const string Allowed = "card, sbp";
}
