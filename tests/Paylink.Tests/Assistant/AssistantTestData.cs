using Paylink.Assistant;
using Paylink.Assistant.Training;

namespace Paylink.Tests.Assistant;

/// <summary>The shipped catalogs and the fixed "now" of the labelled data (Wednesday 2026-11-18 10:00 Moscow).</summary>
internal static class AssistantTestData
{
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    public static readonly DateTimeOffset Now = LabelledSet.Now;

    private static readonly Lazy<IReadOnlyDictionary<string, CatalogSnapshot>> Catalogs =
        new(() => LabelledSet.LoadCatalogs(Path.Combine(DataFolder, "catalogs")));

    public static string RepoRoot { get; } = FindRoot();

    public static string DataFolder => Path.Combine(RepoRoot, "src", "Paylink.Assistant", "Data");

    public static CatalogSnapshot Catalog(string name) => Catalogs.Value[name];

    public static string CatalogPath(string name) => Path.Combine(DataFolder, "catalogs", name + ".json");

    public static MessageAnalyzer Analyzer { get; } = MessageAnalyzer.CreateDefault();

    public static MessageAnalysis Analyze(string text, string catalog = "salon", DateTimeOffset? now = null) =>
        Analyzer.Analyze(text, Catalog(catalog), now ?? Now, Moscow);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Paylink.slnx"))) return dir.FullName;
        throw new InvalidOperationException("Paylink.slnx not found above the test output folder.");
    }
}
