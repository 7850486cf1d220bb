namespace Paylink.Core.PaymentLinks;

/// <summary>One line of the order a link collects for. <see cref="AmountMinor"/> is the line total.</summary>
public sealed class LinkItem
{
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public int Quantity { get; set; }
    public long AmountMinor { get; set; }
    /// <summary>Catalog service slug when the line came from the catalog.</summary>
    public string? ServiceId { get; set; }
}
