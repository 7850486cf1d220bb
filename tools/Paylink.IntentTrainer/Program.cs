using System.Globalization;
using Paylink.Assistant;
using Paylink.Assistant.Intents;
using Paylink.Assistant.Training;

// Trains the assistant's intent model from Data/train.jsonl and writes Model/intent-model.zip.
// Usage: paylink-intent-trainer --data DIR [--out FILE] [--cv K [--verbose]]
//   --cv K  also reports K-fold cross-validated intent macro-F1 on the training set (for tuning; the
//           held-out test set is only for the final report: paylink analyze-eval).
var data = Arg("--data") ?? Path.Combine("src", "Paylink.Assistant", "Data");
var output = Arg("--out") ?? Path.Combine("src", "Paylink.Assistant", "Model", "intent-model.zip");
var folds = int.TryParse(Arg("--cv"), CultureInfo.InvariantCulture, out var k) ? k : 0;
var verbose = args.Contains("--verbose");

var catalogs = LabelledSet.LoadCatalogs(Path.Combine(data, "catalogs"));
var train = LabelledSet.Load(Path.Combine(data, "train.jsonl"));
var rows = LabelledSet.ModelRows(train, catalogs).ToList();
// Folds by wording frame (template or hand-written line): row-level folds leak templates and flatter the model.
var fold = train.Select(r => (int)((uint)StableHash(r.Group ?? r.Text) % (uint)Math.Max(folds, 1))).ToArray();
var started = System.Diagnostics.Stopwatch.StartNew();

if (folds > 1)
{
    var expected = new List<string>();
    var predicted = new List<string>();
    for (var f = 0; f < folds; f++)
    {
        var fit = rows.Where((_, i) => fold[i] != f).ToList();
        var held = rows.Where((_, i) => fold[i] == f).ToList();
        using var buffer = new MemoryStream();
        IntentTrainer.Train(fit, buffer);
        buffer.Position = 0;
        using var model = IntentModel.Load(buffer);
        foreach (var (text, label) in held)
        {
            expected.Add(label);
            var p = model.Predict(text).Intent.ToName();
            predicted.Add(p);
            if (verbose && p != label) Console.WriteLine($"    {label} -> {p}: {text}");
        }
    }
    var f1s = IntentNames.All.Select(i => i.ToName()).Where(expected.Contains).Select(label =>
    {
        var tp = expected.Zip(predicted).Count(p => p.First == label && p.Second == label);
        var precision = predicted.Count(p => p == label) is var pc and > 0 ? (double)tp / pc : 0;
        var recall = (double)tp / expected.Count(e => e == label);
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{folds}-fold CV by wording frame on {rows.Count} training messages: intent macro-F1 {f1s.Average():F4}"));
    foreach (var label in IntentNames.All.Select(i => i.ToName()))
    {
        var wrong = expected.Zip(predicted).Where(p => p.First == label && p.Second != label).GroupBy(p => p.Second).Select(g => $"{g.Key}:{g.Count()}");
        Console.WriteLine($"  {label,-11} missed as {string.Join(" ", wrong)}");
    }
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
using (var file = File.Create(output)) IntentTrainer.Train(rows, file);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"trained on {rows.Count} messages in {started.Elapsed.TotalSeconds:F1} s -> {output} ({new FileInfo(output).Length / 1024} KB)"));
return 0;

static int StableHash(string s)
{
    var h = 17;
    foreach (var c in s) h = unchecked(h * 31 + c);
    return h;
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
