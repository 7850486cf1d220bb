using System.Globalization;

namespace Paylink.Server.Dashboard;

/// <summary>Server-side SVG charts (no script, no external library); each has a title and a table fallback next to it.</summary>
public static class Charts
{
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Vertical bars, one per label (days); a &lt;title&gt; per bar gives the exact value on hover.</summary>
    public static void Bars(Html h, string title, IReadOnlyList<(string Label, double Value, string Shown)> bars, string id)
    {
        const double width = 720, height = 200, left = 24, bottom = 24, top = 16;
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var slot = bars.Count == 0 ? width : (width - 2 * left) / bars.Count;
        var bw = Math.Max(2, slot * 0.7);
        h.Raw("<svg class=\"chart\" role=\"img\"").Attr("id", id).Raw(" viewBox=\"0 0 720 200\" aria-labelledby=\"").Raw(id).Raw("-t\"><title")
            .Attr("id", id + "-t").Raw(">").Text(title).Raw("</title>\n");
        h.Raw("<line x1=\"0\" y1=\"").Raw(N(height - bottom)).Raw("\" x2=\"720\" y2=\"").Raw(N(height - bottom)).Raw("\" stroke=\"#8a90a0\" />\n");
        var labelEvery = Math.Max(1, (int)Math.Ceiling(bars.Count / 12.0));
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, shown) = bars[i];
            var bh = max <= 0 ? 0 : (height - bottom - top) * value / max;
            var x = left + i * slot + (slot - bw) / 2;
            h.Raw("<rect x=\"").Raw(N(x)).Raw("\" y=\"").Raw(N(height - bottom - bh)).Raw("\" width=\"").Raw(N(bw)).Raw("\" height=\"").Raw(N(bh))
                .Raw("\" fill=\"#1a56c4\"><title>").Text(label + ": " + shown).Raw("</title></rect>\n");
            if (i % labelEvery == 0)
                h.Raw("<text x=\"").Raw(N(x + bw / 2)).Raw("\" y=\"").Raw(N(height - 8)).Raw("\" text-anchor=\"middle\">").Text(label).Raw("</text>\n");
        }
        if (max > 0) h.Raw("<text x=\"4\" y=\"12\">").Text(bars.First(b => b.Value == max).Shown).Raw("</text>\n");
        h.Raw("</svg>\n");
    }

    /// <summary>Horizontal bars for a funnel: each step's count and share of the first step, in the page's language («1 234 (66,7 %)»).</summary>
    public static void Funnel(Html h, string title, IReadOnlyList<(string Label, int Count)> steps, string id, string lang)
    {
        var first = steps.Count == 0 ? 0 : steps[0].Count;
        const double rowH = 34, labelW = 200, barMax = 400;
        var height = steps.Count * rowH + 8;
        h.Raw("<svg class=\"chart\" role=\"img\"").Attr("id", id).Raw(" viewBox=\"0 0 720 ").Raw(N(height)).Raw("\" aria-labelledby=\"").Raw(id)
            .Raw("-t\"><title").Attr("id", id + "-t").Raw(">").Text(title).Raw("</title>\n");
        for (var i = 0; i < steps.Count; i++)
        {
            var (label, count) = steps[i];
            var w = first == 0 ? 0 : barMax * count / first;
            var y = 4 + i * rowH;
            var share = first == 0 ? "" : " (" + Paylink.Core.Common.NumberFormat.Percent((double)count / first, lang) + ")";
            h.Raw("<text x=\"0\" y=\"").Raw(N(y + 20)).Raw("\">").Text(label).Raw("</text>");
            h.Raw("<rect x=\"").Raw(N(labelW)).Raw("\" y=\"").Raw(N(y + 4)).Raw("\" width=\"").Raw(N(Math.Max(w, 1))).Raw("\" height=\"24\" fill=\"#1a56c4\" />");
            h.Raw("<text x=\"").Raw(N(labelW + Math.Max(w, 1) + 6)).Raw("\" y=\"").Raw(N(y + 20)).Raw("\">").Text(Paylink.Core.Common.NumberFormat.Integer(count, lang) + share).Raw("</text>\n");
        }
        h.Raw("</svg>\n");
    }

    /// <summary>Lines over the same labels (e.g. links created and paid per day), with a legend; one &lt;title&gt; per point.</summary>
    public static void Lines(Html h, string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, string Colour, IReadOnlyList<int> Values)> series, string id)
    {
        const double width = 720, height = 220, left = 24, bottom = 24, top = 28;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var n = labels.Count;
        double X(int i) => n <= 1 ? width / 2 : left + i * (width - 2 * left) / (n - 1);
        double Y(int v) => height - bottom - (height - bottom - top) * v / max;
        h.Raw("<svg class=\"chart\" role=\"img\"").Attr("id", id).Raw(" viewBox=\"0 0 720 220\" aria-labelledby=\"").Raw(id).Raw("-t\"><title")
            .Attr("id", id + "-t").Raw(">").Text(title).Raw("</title>\n");
        h.Raw("<line x1=\"0\" y1=\"").Raw(N(height - bottom)).Raw("\" x2=\"720\" y2=\"").Raw(N(height - bottom)).Raw("\" stroke=\"#8a90a0\" />\n");
        var legendX = 4.0;
        foreach (var (name, colour, values) in series)
        {
            var points = string.Join(' ', values.Select((v, i) => N(X(i)) + "," + N(Y(v))));
            h.Raw("<polyline fill=\"none\" stroke-width=\"3\"").Attr("stroke", colour).Attr("points", points).Raw(" />\n");
            for (var i = 0; i < values.Count; i++)
                h.Raw("<circle r=\"4\"").Attr("cx", N(X(i))).Attr("cy", N(Y(values[i]))).Attr("fill", colour).Raw("><title>")
                    .Text($"{labels[i]}: {name} {values[i]}").Raw("</title></circle>\n");
            h.Raw("<rect width=\"14\" height=\"14\"").Attr("x", N(legendX)).Attr("y", "4").Attr("fill", colour).Raw(" /><text").Attr("x", N(legendX + 20))
                .Attr("y", "17").Raw(">").Text(name).Raw("</text>\n");
            legendX += 40 + name.Length * 9;
        }
        var labelEvery = Math.Max(1, (int)Math.Ceiling(n / 10.0));
        for (var i = 0; i < n; i += labelEvery)
            h.Raw("<text text-anchor=\"middle\"").Attr("x", N(X(i))).Attr("y", N(height - 6)).Raw(">").Text(labels[i]).Raw("</text>\n");
        h.Raw("</svg>\n");
    }
}
