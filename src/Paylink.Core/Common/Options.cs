using System.ComponentModel.DataAnnotations;

namespace Paylink.Core.Common;

/// <summary>Root-level settings (no section): <c>PAYLINK_PublicBaseUrl</c>, <c>PAYLINK_DATA_DIR</c>.</summary>
public sealed class PaylinkOptions
{
    /// <summary>Absolute base URL of pay pages and webhooks. Defaults to the address the server listens on.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Where the SQLite database and data-protection keys live. Env: PAYLINK_DATA_DIR.</summary>
    [Required]
    public string DataDir { get; set; } = "./data";
}

/// <summary>Section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>. Empty: postgres when a connection string is set, else sqlite.</summary>
    [RegularExpression("^(|sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string? Provider { get; set; }

    /// <summary>Connection string; for SQLite defaults to a file in the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations when the server starts. Turn off when several instances share one
    /// database and run <c>paylink migrate</c> once per deployment instead.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public string EffectiveProvider => string.IsNullOrEmpty(Provider)
        ? (string.IsNullOrEmpty(ConnectionString) ? "sqlite" : "postgres")
        : Provider;
}

/// <summary>Section <c>Links</c>: limits on payment links.</summary>
public sealed class LinkOptions
{
    public const string Section = "Links";

    /// <summary>Largest amount a link may ask for, in minor units (default 100 000 000,00).</summary>
    [Range(1, long.MaxValue)]
    public long MaxAmountMinor { get; set; } = 100_000_000_00;

    /// <summary>Longest lifetime a link may have, in days.</summary>
    [Range(1, 3650)]
    public int MaxLifetimeDays { get; set; } = 90;

    /// <summary>
    /// Links created through the API without an Idempotency-Key are written by a writer that commits
    /// concurrent creations in one transaction (group commit). Off: each creation saves on its own.
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Most creations one group commit takes.</summary>
    [Range(1, 1000)]
    public int GroupCommitMaxBatch { get; set; } = 128;
}

/// <summary>Section <c>Demo</c>: the demo merchant created on first start.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Create a demo merchant with a salon catalog when the database has no merchants.</summary>
    public bool Seed { get; set; } = true;
}
