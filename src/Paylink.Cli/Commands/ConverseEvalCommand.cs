using System.CommandLine;
using Paylink.Assistant;
using Paylink.Assistant.Training;
using Paylink.Core.Assistance;

namespace Paylink.Cli.Commands;

/// <summary>
/// <c>paylink converse-eval --data conversations.jsonl [--catalogs DIR] [--settings FILE] [--errors]</c>: runs multi-turn
/// conversations through the real dialogue over an in-memory backend and counts those that end right, those
/// with a wrong booking or invoice, and those where the client's language was kept.
/// </summary>
public static class ConverseEvalCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "Conversations, JSON lines (format: tests/heldout/README.md).", Required = true };
        var catalogs = new Option<DirectoryInfo?>("--catalogs") { Description = "Folder of catalogs named in the data; default: 'catalogs' beside the data file." };
        var settings = new Option<FileInfo?>("--settings") { Description = "Assistant settings per business; default: 'settings.json' beside the data file, else the defaults." };
        var channelLang = new Option<string?>("--channel-lang") { Description = "Language the channel reports for every conversation (ru, en); default: ru, so the assistant must notice English itself." };
        var errors = new Option<bool>("--errors") { Description = "Also print the transcript of every conversation not right (or not in the client's language)." };
        var cmd = new Command("converse-eval", "Measure the assistant on multi-turn conversations.") { data, catalogs, settings, channelLang, errors };
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
            var settingsFile = pr.GetValue(settings);
            if (settingsFile is { Exists: false })
            {
                await CliApp.Err.WriteLineAsync($"error: --settings: file '{settingsFile.FullName}' does not exist.");
                return CliApp.ExitUsage;
            }
            settingsFile ??= new FileInfo(Path.Combine(file.DirectoryName!, "settings.json"));
            var lang = pr.GetValue(channelLang) ?? "ru";
            if (lang is not ("ru" or "en"))
            {
                await CliApp.Err.WriteLineAsync("error: --channel-lang must be ru or en.");
                return CliApp.ExitUsage;
            }
            IReadOnlyList<ConversationCase> cases;
            IReadOnlyDictionary<string, CatalogSnapshot> snapshots;
            IReadOnlyDictionary<string, AssistantSettings> perBusiness;
            try
            {
                cases = ConversationEvaluation.Load(file.FullName);
                snapshots = LabelledSet.LoadCatalogs(folder.FullName);
                perBusiness = settingsFile.Exists ? ConversationEvaluation.LoadSettings(settingsFile.FullName) : new Dictionary<string, AssistantSettings>();
                foreach (var c in cases) LabelledSet.Catalog(snapshots, c.Catalog);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
            {
                await CliApp.Err.WriteLineAsync("error: " + ex.Message);
                return CliApp.ExitUsage;
            }
            var report = await ConversationEvaluation.RunAsync(MessageAnalyzer.CreateDefault(), cases, snapshots, perBusiness, lang, ct);
            await CliApp.Out.WriteAsync(report.Format(pr.GetValue(errors)));
            return CliApp.ExitOk;
        });
        return cmd;
    }
}
