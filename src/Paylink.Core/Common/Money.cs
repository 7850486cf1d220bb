namespace Paylink.Core.Common;

/// <summary>An amount in the currency's minor units (kopecks for RUB). Never float or decimal.</summary>
public readonly record struct Money(long Minor, string Currency)
{
    public override string ToString() => $"{Minor} {Currency}";
}
