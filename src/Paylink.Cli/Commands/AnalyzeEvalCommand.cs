using System.CommandLine;
using Paylink.Assistant;
using Paylink.Assistant.Training;

namespace Paylink.Cli.Commands;

/// <summary>
/// <c>paylink analyze-eval --data test.jsonl [--catalogs DIR] [--errors] [--legacy-intents]</c>: scores the shipped analyzer on a
/// labelled set (per-intent precision/recall/F1, confusion matrix, service/date/time/amount exact accuracy).
/// </summary>
public static class AnalyzeEvalCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Labelled messages, JSON lines (src/Paylink.Assistant/Data/test.jsonl).", Required = true };
        var catalogs = new Option<DirectoryInfo?>("--catalogs") { Description = "Folder of catalogs named in the data; default: 'catalogs' beside the data file." };
        var errors = new Option<bool>("--errors") { Description = "Also list every message with a wrong field." };
        var legacy = new Option<bool>("--legacy-intents") { Description = "The set predates the status and info intents: score status as pay and info as other." };
        var cmd = new Command("analyze-eval", "Measure the assistant on a labelled set of messages.") { data, catalogs, errors, legacy };
        cmd.SetAction(async (pr, ct) =>
        {
            var file = pr.GetValue(data)!;
            if (!file.Exists)
            {
                await CliApp.Err.WriteLineAsync($"error: --data: file '{file.FullName}' does not exist.");
                return CliApp.ExitUsage;
            }
            var folder = pr.GetValue(catalogs) ?? new DirectoryInfo(Path.Combine(file.DirectoryName!, "catalogs"));
            if (!folder.Exists)
            {
                await CliApp.Err.WriteLineAsync($"error: --catalogs: folder '{folder.FullName}' does not exist.");
                return CliApp.ExitUsage;
            }
            IReadOnlyList<LabelledMessage> rows;
            IReadOnlyDictionary<string, CatalogSnapshot> snapshots;
            try
            {
                rows = LabelledSet.Load(file.FullName);
                snapshots = LabelledSet.LoadCatalogs(folder.FullName);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
            {
                await CliApp.Err.WriteLineAsync("error: " + ex.Message);
                return CliApp.ExitUsage;
            }
            var report = Evaluation.Run(MessageAnalyzer.CreateDefault(), rows, snapshots, pr.GetValue(legacy) ? Evaluation.LegacyIntents : null);
            await CliApp.Out.WriteAsync(report.Format(pr.GetValue(errors)));
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
