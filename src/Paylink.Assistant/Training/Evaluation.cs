using System.Globalization;
using System.Text;

namespace Paylink.Assistant.Training;

/// <summary>Per-intent precision, recall and F1.</summary>
public sealed record IntentScore(Intent Intent, int Support, double Precision, double Recall, double F1);

/// <summary>One message the analyzer got wrong in some field, for reading errors.</summary>
public sealed record EvaluationMiss(LabelledMessage Expected, MessageAnalysis Actual, IReadOnlyList<string> Fields);

/// <summary>How the analyzer does on a labelled set: intent scores, confusion matrix and entity exact-match accuracy.</summary>
public sealed record EvaluationReport(
    int Count,
    IReadOnlyList<IntentScore> Intents,
    double MacroF1,
    double IntentAccuracy,
    int[,] Confusion,
    double ServiceAccuracy,
    double DateAccuracy,
    double TimeAccuracy,
    double AmountAccuracy,
    double PhoneAccuracy,
    double EmailAccuracy,
    IReadOnlyList<EvaluationMiss> Misses,
    double StaffAccuracy = 1)
{
    /// <summary>A plain-text report: per-intent table, confusion matrix (rows = expected), entity accuracies.</summary>
    public string Format(bool withMisses = false)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"messages: {Count}");
        sb.AppendLine("intent        support  precision  recall  f1");
        foreach (var s in Intents)
            sb.AppendLine(ci, $"{s.Intent.ToName(),-12}  {s.Support,7}  {s.Precision,9:F3}  {s.Recall,6:F3}  {s.F1:F3}");
        sb.AppendLine(ci, $"macro-F1: {MacroF1:F4}   accuracy: {IntentAccuracy:F4}");
        sb.AppendLine("confusion (rows expected, columns predicted):");
        sb.Append("            ");
        foreach (var i in IntentNames.All) sb.Append(ci, $"{Abbrev(i),6}");
        sb.AppendLine();
        foreach (var e in IntentNames.All)
        {
            sb.Append(ci, $"{e.ToName(),-12}");
            foreach (var p in IntentNames.All) sb.Append(ci, $"{Confusion[(int)e, (int)p],6}");
            sb.AppendLine();
        }
        sb.AppendLine(ci, $"service accuracy: {ServiceAccuracy:F4}");
        sb.AppendLine(ci, $"date exact:       {DateAccuracy:F4}");
        sb.AppendLine(ci, $"time exact:       {TimeAccuracy:F4}");
        sb.AppendLine(ci, $"amount exact:     {AmountAccuracy:F4}");
        sb.AppendLine(ci, $"phone exact:      {PhoneAccuracy:F4}");
        sb.AppendLine(ci, $"email exact:      {EmailAccuracy:F4}");
        sb.AppendLine(ci, $"staff exact:      {StaffAccuracy:F4}");
        if (withMisses)
        {
            sb.AppendLine(ci, $"misses ({Misses.Count}):");
            foreach (var m in Misses)
            {
                var a = m.Actual;
                sb.AppendLine(ci, $"  [{string.Join(",", m.Fields)}] {m.Expected.Text}");
                sb.AppendLine(ci, $"      expected {m.Expected.Intent} svc={m.Expected.ServiceId} date={m.Expected.Date} time={m.Expected.Time} amount={m.Expected.AmountMinor} phone={m.Expected.Phone} email={m.Expected.Email} staff={m.Expected.Staff}");
                sb.AppendLine(ci, $"      actual   {a.Intent.ToName()}({a.Confidence:F2}) svc={a.ServiceId} date={a.Date?.ToString("yyyy-MM-dd", ci)} time={a.Time?.ToString("HH:mm", ci)} amount={a.AmountMinor} phone={a.Phone} email={a.Email} staff={a.Staff}");
            }
        }
        return sb.ToString();
    }

    private static string Abbrev(Intent i) => i.ToName().Length > 5 ? i.ToName()[..5] : i.ToName();
}

/// <summary>Runs the analyzer over a labelled set and scores it against the labels.</summary>
public static class Evaluation
{
    /// <summary>
    /// For sets labelled before the status and info intents existed: a prediction of status counts as pay and
    /// info as other, the labels those messages had then.
    /// </summary>
    public static IReadOnlyDictionary<Intent, Intent> LegacyIntents { get; } = new Dictionary<Intent, Intent> { [Intent.Status] = Intent.Pay, [Intent.Info] = Intent.Other };

    public static EvaluationReport Run(MessageAnalyzer analyzer, IReadOnlyList<LabelledMessage> rows, IReadOnlyDictionary<string, CatalogSnapshot> catalogs,
        IReadOnlyDictionary<Intent, Intent>? collapse = null)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(LabelledSet.TimeZoneId);
        var n = IntentNames.All.Count;
        var confusion = new int[n, n];
        int svc = 0, date = 0, time = 0, amount = 0, phone = 0, email = 0, staff = 0;
        var misses = new List<EvaluationMiss>();
        var ci = CultureInfo.InvariantCulture;
        foreach (var r in rows)
        {
            var a = analyzer.Analyze(r.Text, LabelledSet.Catalog(catalogs, r.Catalog), LabelledSet.Now, tz);
            if (collapse is not null && collapse.TryGetValue(a.Intent, out var old)) a = a with { Intent = old };
            var expected = IntentNames.TryParse(r.Intent, out var parsed) ? parsed : Intent.Other;
            confusion[(int)expected, (int)a.Intent]++;
            var wrong = new List<string>();
            if (expected != a.Intent) wrong.Add("intent");
            if (Check(r.ServiceId, a.ServiceId, ref svc)) wrong.Add("service");
            if (Check(r.Date, a.Date?.ToString("yyyy-MM-dd", ci), ref date)) wrong.Add("date");
            if (Check(r.Time, a.Time?.ToString("HH:mm", ci), ref time)) wrong.Add("time");
            if (Check(r.AmountMinor?.ToString(ci), a.AmountMinor?.ToString(ci), ref amount)) wrong.Add("amount");
            if (Check(r.Phone, a.Phone, ref phone)) wrong.Add("phone");
            if (Check(r.Email, a.Email, ref email)) wrong.Add("email");
            if (Check(r.Staff, a.Staff, ref staff)) wrong.Add("staff");
            if (wrong.Count > 0) misses.Add(new EvaluationMiss(r, a, wrong));
        }
        var scores = new List<IntentScore>();
        var total = 0;
        var correct = 0;
        foreach (var i in IntentNames.All)
        {
            int tp = confusion[(int)i, (int)i], support = 0, predicted = 0;
            for (var k = 0; k < n; k++) { support += confusion[(int)i, k]; predicted += confusion[k, (int)i]; }
            total += support;
            correct += tp;
            if (support == 0 && predicted == 0) continue;
            var p = predicted == 0 ? 0 : (double)tp / predicted;
            var rc = support == 0 ? 0 : (double)tp / support;
            scores.Add(new IntentScore(i, support, p, rc, p + rc == 0 ? 0 : 2 * p * rc / (p + rc)));
        }
        double Share(int k) => rows.Count == 0 ? 0 : (double)k / rows.Count;
        return new EvaluationReport(rows.Count, scores, scores.Count == 0 ? 0 : scores.Average(s => s.F1), total == 0 ? 0 : (double)correct / total,
            confusion, Share(svc), Share(date), Share(time), Share(amount), Share(phone), Share(email), misses, Share(staff));
    }

    /// <summary>Counts a match; returns true when the field is wrong.</summary>
    private static bool Check(string? expected, string? actual, ref int hits)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal)) { hits++; return false; }
        return true;
    }
}
