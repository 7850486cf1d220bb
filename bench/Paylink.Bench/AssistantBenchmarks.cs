using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Paylink.Assistant;
using Paylink.Assistant.Training;

namespace Paylink.Bench;

/// <summary>
/// Time to analyse one message in process (normalise, extract, match, classify), with P95/P99 columns.
/// Run: dotnet run -c Release --project bench/Paylink.Bench -- --filter '*AssistantBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentilesConfig))]
public class AssistantBenchmarks
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private MessageAnalyzer _analyzer = null!;
    private CatalogSnapshot _salon = null!;
    private string[] _messages = [];
    private int _next;

    [Params("short", "typical", "long")]
    public string Kind { get; set; } = "typical";

    [GlobalSetup]
    public void Setup()
    {
        _analyzer = MessageAnalyzer.CreateDefault();
        var data = FindData();
        _salon = LabelledSet.LoadCatalogs(Path.Combine(data, "catalogs"))["salon"];
        _messages = Kind switch
        {
            "short" => ["да", "нет", "привет", "ок", "спасибо"],
            "long" => [string.Join(" ", Enumerable.Repeat("здравствуйте, хочу записаться на маникюр с покрытием завтра к половине пятого, мой номер 8 916 123-45-67, оплачу 2 500 ₽", 6))],
            _ => LabelledSet.Load(Path.Combine(data, "test.jsonl")).Where(r => r.Catalog == "salon").Select(r => r.Text).ToArray(),
        };
        _analyzer.Analyze(_messages[0], _salon, LabelledSet.Now, Moscow);
    }

    [Benchmark]
    public MessageAnalysis Analyze()
    {
        var text = _messages[_next++ % _messages.Length];
        return _analyzer.Analyze(text, _salon, LabelledSet.Now, Moscow);
    }

    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Paylink.Assistant", "Data");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("src/Paylink.Assistant/Data not found above " + AppContext.BaseDirectory);
    }

    private sealed class PercentilesConfig : ManualConfig
    {
        public PercentilesConfig()
        {
            AddColumn(StatisticColumn.P95, StatisticColumn.Max);
            AddColumn(new PercentileColumn99());
            SummaryStyle = SummaryStyle.Default.WithTimeUnit(Perfolizer.Horology.TimeUnit.Microsecond);
        }
    }

    /// <summary>BenchmarkDotNet has P95 built in but not P99.</summary>
    private sealed class PercentileColumn99 : IColumn
    {
        public string Id => "P99";
        public string ColumnName => "P99";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Statistics;
        public int PriorityInCategory => 10;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Time;
        public string Legend => "99th percentile of the measured iterations";
        public bool IsDefault(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkDotNet.Running.BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null) return "NA";
            var ns = stats.Percentiles.Percentile(99);
            return (ns / 1000).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + " μs";
        }
    }
}
