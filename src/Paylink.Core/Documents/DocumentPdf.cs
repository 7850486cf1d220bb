using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Paylink.Core.Documents;

/// <summary>
/// The small layout kit the счёт and the акт are drawn with (PDFsharp 6.2.4, A4, DejaVu Sans embedded so Cyrillic
/// renders and reads back on any machine). Text is written with a Unicode map, so a PDF reader extracts it as typed.
/// A cursor moves down the page; a new page starts when the next block does not fit.
/// </summary>
internal sealed class DocumentPdf : IDisposable
{
    public const double Margin = 40;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);
    private readonly PdfDocument _doc = new();
    private XGraphics _gfx = null!;
    private PdfPage _page = null!;

    static DocumentPdf() => EmbeddedFonts.Install();

    public DocumentPdf(string title)
    {
        _doc.Info.Title = title;
        _doc.Info.Creator = "Paylink";
        NewPage();
    }

    public double Y { get; set; }
    public double Width => _page.Width.Point - 2 * Margin;

    public static XFont Font(double size, bool bold = false) => new(EmbeddedFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Unicode);

    private void NewPage()
    {
        _gfx?.Dispose();
        _page = _doc.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(_page);
        Y = Margin;
    }

    public void EnsureRoom(double height)
    {
        if (Y + height > _page.Height.Point - Margin) NewPage();
    }

    /// <summary>One line of text at the cursor (or at <paramref name="x"/>), moving the cursor down unless <paramref name="stay"/>.</summary>
    public void Line(string text, double size = 10, bool bold = false, double x = 0, bool stay = false, bool right = false, double? width = null)
    {
        var font = Font(size, bold);
        var h = size * 1.35;
        EnsureRoom(h);
        var rect = new XRect(Margin + x, Y, width ?? Width - x, h);
        _gfx.DrawString(text, font, XBrushes.Black, rect, right ? XStringFormats.TopRight : XStringFormats.TopLeft);
        if (!stay) Y += h;
    }

    /// <summary>Text wrapped into a box <paramref name="width"/> wide; returns its height. Moves the cursor unless <paramref name="stay"/>.</summary>
    public double Wrapped(string text, double size = 10, bool bold = false, double x = 0, double? width = null, bool stay = false)
    {
        var font = Font(size, bold);
        var w = width ?? Width - x;
        var h = Measure(text, font, w);
        EnsureRoom(h);
        new XTextFormatter(_gfx).DrawString(text, font, XBrushes.Black, new XRect(Margin + x, Y, w, h), XStringFormats.TopLeft);
        if (!stay) Y += h;
        return h;
    }

    /// <summary>The height of <paramref name="text"/> wrapped at word boundaries into <paramref name="width"/>.</summary>
    public double Measure(string text, XFont font, double width)
    {
        var lines = 0;
        foreach (var para in text.Split('\n'))
        {
            var current = "";
            lines++;
            foreach (var word in para.Split(' '))
            {
                var next = current.Length == 0 ? word : current + " " + word;
                if (current.Length > 0 && _gfx.MeasureString(next, font).Width > width - 2) { lines++; current = word; }
                else current = next;
            }
        }
        return lines * font.Size * 1.25 + 2;
    }

    /// <summary>A table: header row, then rows; column widths in points; cells wrap; the cursor ends below it.</summary>
    public void Table(double[] widths, string[] header, IEnumerable<string[]> rows, bool[]? rightAligned = null, double size = 9)
    {
        void Row(string[] cells, bool bold)
        {
            var font = Font(size, bold);
            var h = 0.0;
            for (var i = 0; i < cells.Length; i++) h = Math.Max(h, Measure(cells[i], font, widths[i] - 6));
            h += 4;
            EnsureRoom(h);
            var x = Margin;
            for (var i = 0; i < cells.Length; i++)
            {
                _gfx.DrawRectangle(XPens.Black, x, Y, widths[i], h);
                var rect = new XRect(x + 3, Y + 2, widths[i] - 6, h - 4);
                if (rightAligned?[i] == true) _gfx.DrawString(cells[i], font, XBrushes.Black, rect, XStringFormats.TopRight);
                else new XTextFormatter(_gfx).DrawString(cells[i], font, XBrushes.Black, rect, XStringFormats.TopLeft);
                x += widths[i];
            }
            Y += h;
        }
        Row(header, bold: true);
        foreach (var r in rows) Row(r, bold: false);
    }

    public void Rule(double thickness = 1)
    {
        EnsureRoom(6);
        _gfx.DrawLine(new XPen(XColors.Black, thickness), Margin, Y + 2, Margin + Width, Y + 2);
        Y += 6;
    }

    /// <summary>A QR code as vector squares (crisp at any zoom, no image codec), <paramref name="size"/> points wide, top-left at (x, y).</summary>
    public void Qr(IReadOnlyList<bool[]> modules, double x, double y, double size)
    {
        var cell = size / modules.Count;
        for (var r = 0; r < modules.Count; r++)
            for (var c = 0; c < modules[r].Length; c++)
                if (modules[r][c]) _gfx.DrawRectangle(XBrushes.Black, Margin + x + c * cell, y + r * cell, cell + 0.05, cell + 0.05);
    }

    public byte[] ToBytes()
    {
        _gfx.Dispose();
        using var ms = new MemoryStream();
        _doc.Save(ms, false);
        return ms.ToArray();
    }

    public void Dispose()
    {
        _gfx.Dispose();
        _doc.Dispose();
    }
}

/// <summary>Serves the DejaVu Sans faces embedded in Paylink.Core to PDFsharp (set once per process).</summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly object Gate = new();

    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not EmbeddedFonts) GlobalFontSettings.FontResolver = new EmbeddedFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName)
    {
        using var s = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream($"Paylink.Core.Documents.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font resource {faceName} is missing from Paylink.Core.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
