using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Paylink.Assistant;
using Paylink.Assistant.Llm;

namespace Paylink.Cli.Commands;

/// <summary>
/// <c>paylink analyze --catalog FILE.json [--now ISO] [--tz ZONE]</c>: reads messages from stdin, one per line,
/// and writes one JSON object per line, in order:
/// <c>{"text","intent","serviceId","date","time","amountMinor","phone","email","confidence"}</c>.
/// Every input line gets an output line (empty, binary, invalid UTF-8 or emoji-only lines get intent "other");
/// bad arguments exit with code 2 before reading anything.
/// </summary>
public static partial class AnalyzeCommand
{
    /// <summary>Longest line kept; the rest of a longer line is read and dropped (the analyzer reads only the first 1000 characters anyway).</summary>
    public const int MaxLineLength = 10_000;

    private const int BatchSize = 1024;

    /// <summary>Where messages are read from; tests replace it.</summary>
    public static Func<Stream> OpenInput { get; set; } = Console.OpenStandardInput;

    /// <summary>The clock behind the default <c>--now</c>; tests replace it.</summary>
    public static TimeProvider Clock { get; set; } = TimeProvider.System;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static Command Create()
    {
        var catalog = new Option<FileInfo>("--catalog") { Description = "Catalog JSON (the 'catalog import' format): [{\"id\",\"name\",\"priceMinor\",\"currency\",\"aliases\"?}]", Required = true };
        var now = new Option<string?>("--now") { Description = "The current time, ISO 8601 (2026-11-18T10:00:00+03:00); without an offset it is read in --tz. Default: the clock." };
        var tz = new Option<string>("--tz") { Description = "The merchant's IANA time zone.", DefaultValueFactory = _ => "Europe/Moscow" };
        var cmd = new Command("analyze", "Understand customer messages from stdin (one per line): intent, service, date, time, amount, phone, e-mail as JSON lines.")
        {
            catalog, now, tz,
        };
        cmd.SetAction(async (pr, ct) =>
        {
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(pr.GetValue(tz)!, out var z) ? z : null;
            if (zone is null) return await UsageAsync($"--tz: unknown time zone '{pr.GetValue(tz)}' (use an IANA name such as Europe/Moscow).");
            DateTimeOffset instant;
            var nowText = pr.GetValue(now);
            if (nowText is null) instant = Clock.GetUtcNow();
            else if (ParseNow(nowText, zone) is { } parsed) instant = parsed;
            else return await UsageAsync($"--now: '{nowText}' is not an ISO 8601 date and time such as 2026-11-18T10:00:00+03:00.");
            var (snapshot, error) = await LoadCatalogAsync(pr.GetValue(catalog)!, ct);
            if (snapshot is null) return await UsageAsync(error!);

            MessageAnalyzer analyzer;
            try { analyzer = MessageAnalyzer.CreateDefault(); }
            catch (InvalidOperationException ex)
            {
                await CliApp.Err.WriteLineAsync("error: " + ex.Message);
                return CliApp.ExitError;
            }
            var llmOptions = CliApp.BuildConfiguration().GetSection(LlmFallbackOptions.Section).Get<LlmFallbackOptions>() ?? new LlmFallbackOptions();
            if (llmOptions.Validate() is { Count: > 0 } llmErrors) return await UsageAsync(string.Join(" ", llmErrors));
            using var chat = llmOptions.Enabled ? LlmAssistedAnalyzer.CreateChatClient(llmOptions) : null;
            var llm = chat is null ? null : new LlmAssistedAnalyzer(analyzer, chat, llmOptions);
            await using var input = OpenInput();
            await RunAsync(analyzer, snapshot, instant, zone, input, CliApp.Out, ct, llm);
            return CliApp.ExitOk;
        });
        return cmd;
    }

    /// <summary>Reads, analyses and writes until the input ends. Lines are analysed in parallel batches and written in input order.</summary>
    /// <param name="llm">The optional language-model fallback (<c>Assistant:Llm</c>); asked only about lines the rules are unsure of.</param>
    public static async Task RunAsync(MessageAnalyzer analyzer, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo zone,
        Stream input, TextWriter output, CancellationToken ct, LlmAssistedAnalyzer? llm = null)
    {
        var run = new Batch(analyzer, llm, catalog, now, zone, output, ct);
        // Invalid UTF-8 becomes U+FFFD instead of an exception: a bad line must not stop the stream.
        using var reader = new StreamReader(input, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        var batch = new List<string>(BatchSize);
        var buffer = new char[1 << 16];
        var line = new StringBuilder();
        var overflow = false;

        while (true)
        {
            var read = await reader.ReadAsync(buffer.AsMemory(), ct);
            if (read == 0) break;
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                Append(line, buffer.AsSpan(start, i - start), ref overflow);
                batch.Add(EndLine(line, ref overflow));
                start = i + 1;
                if (batch.Count == BatchSize) await run.FlushAsync(batch);
            }
            Append(line, buffer.AsSpan(start, read - start), ref overflow);
            // Answer what has arrived before waiting for more input, so an interactive caller sees its replies.
            if (batch.Count > 0) await run.FlushAsync(batch);
        }
        if (line.Length > 0 || overflow) batch.Add(EndLine(line, ref overflow));
        if (batch.Count > 0) await run.FlushAsync(batch);
        await output.FlushAsync(ct);
    }

    private static void Append(StringBuilder line, ReadOnlySpan<char> chunk, ref bool overflow)
    {
        var room = MaxLineLength - line.Length;
        if (chunk.Length > room) { overflow = true; chunk = chunk[..Math.Max(room, 0)]; }
        line.Append(chunk);
    }

    private static string EndLine(StringBuilder line, ref bool overflow)
    {
        if (line.Length > 0 && line[^1] == '\r' && !overflow) line.Length--;
        var text = line.ToString();
        line.Clear();
        overflow = false;
        return text;
    }

    /// <summary>Analyses a batch of lines in parallel and writes their JSON lines in input order.</summary>
    private sealed class Batch(MessageAnalyzer analyzer, LlmAssistedAnalyzer? llm, CatalogSnapshot catalog, DateTimeOffset now, TimeZoneInfo zone,
        TextWriter output, CancellationToken ct)
    {
        /// <summary>Language-model calls in flight at once; they are network-bound, so more than the cores.</summary>
        private const int LlmConcurrency = 4;

        private readonly MessageAnalysis[] _analyses = new MessageAnalysis[BatchSize];
        private readonly string[] _results = new string[BatchSize];

        public async Task FlushAsync(List<string> batch)
        {
            var lines = batch.ToArray();
            var analyses = _analyses;
            Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => analyses[i] = analyzer.Analyze(lines[i], catalog, now, zone));
            if (llm is not null)
            {
                using var gate = new SemaphoreSlim(LlmConcurrency);
                await Task.WhenAll(Enumerable.Range(0, lines.Length).Where(i => !analyses[i].IsConfident).Select(async i =>
                {
                    await gate.WaitAsync(ct);
                    try { analyses[i] = await llm.UnderstandAsync(lines[i], catalog, now, zone, ct); }
                    finally { gate.Release(); }
                }));
            }
            var results = _results;
            Parallel.For(0, lines.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new ArrayBufferWriter<byte>(512),
                (i, _, local) => { results[i] = ToJson(lines[i], analyses[i], local); return local; }, _ => { });
            var sb = new StringBuilder(lines.Length * 160);
            for (var i = 0; i < lines.Length; i++) sb.Append(results[i]).Append('\n');
            await output.WriteAsync(sb);
            await output.FlushAsync();
            batch.Clear();
        }
    }

    /// <summary>One output line for a message and its analysis, in the fixed field order.</summary>
    public static string ToJson(string text, MessageAnalysis a, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("text", text);
            w.WriteString("intent", a.Intent.ToName());
            WriteNullable(w, "serviceId", a.ServiceId);
            WriteNullable(w, "date", a.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            WriteNullable(w, "time", a.Time?.ToString("HH:mm", CultureInfo.InvariantCulture));
            if (a.AmountMinor is { } amount) w.WriteNumber("amountMinor", amount); else w.WriteNull("amountMinor");
            WriteNullable(w, "phone", a.Phone);
            WriteNullable(w, "email", a.Email);
            w.WriteNumber("confidence", Math.Round(a.Confidence, 4));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    /// <summary>Reads ISO 8601; a value without an offset is a wall-clock time in <paramref name="zone"/>.</summary>
    internal static DateTimeOffset? ParseNow(string text, TimeZoneInfo zone)
    {
        text = text.Trim();
        if (!IsoRegex().IsMatch(text)) return null;
        if (OffsetRegex().IsMatch(text))
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset) ? withOffset : null;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static async Task<(CatalogSnapshot? Snapshot, string? Error)> LoadCatalogAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) return (null, $"--catalog: file '{file.FullName}' does not exist.");
        string json;
        try { json = await File.ReadAllTextAsync(file.FullName, ct); }
        catch (IOException ex) { return (null, $"--catalog: cannot read '{file.FullName}': {ex.Message}"); }
        catch (UnauthorizedAccessException ex) { return (null, $"--catalog: cannot read '{file.FullName}': {ex.Message}"); }
        var parsed = CatalogSnapshot.Parse(json);
        return parsed.IsSuccess ? (parsed.Value, null) : (null, $"--catalog: '{file.Name}' is not a valid catalog: {parsed.Error!.Message}");
    }

    private static async Task<int> UsageAsync(string message)
    {
        await CliApp.Err.WriteLineAsync("error: " + message);
        return CliApp.ExitUsage;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoRegex();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetRegex();
}
