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
    /// <summary>54-FZ VAT rate of this line (neutral name, e.g. vat22); null = the merchant's default.</summary>
    public string? Vat { get; set; }
    /// <summary>54-FZ payment object (service, commodity…); null = the merchant's default.</summary>
    public string? PaymentObject { get; set; }
    /// <summary>54-FZ measure unit (piece, hour…); null = the merchant's default.</summary>
    public string? Measure { get; set; }
}
