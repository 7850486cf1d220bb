using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Paylink.Core.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    private static readonly DateTimeOffsetToBinaryConverter TimeConverter = new();

    public override object DbTime(DateTimeOffset value) => TimeConverter.ConvertToProvider(value)!;

    public override DateTimeOffset ReadTime(System.Data.Common.DbDataReader reader, int ordinal) => ReadTime(reader.GetInt64(ordinal));

    /// <summary>A time as this context stores it (<see cref="DateTimeOffsetToBinaryConverter"/>), for hand-written reads.</summary>
    public static DateTimeOffset ReadTime(long stored) => (DateTimeOffset)TimeConverter.ConvertFromProvider(stored)!;

    public override bool IsSqlite => true;

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite has no timestamp type; EF stores DateTimeOffset as text and cannot order or compare it.
        // All our times are UTC, so an integer encoding sorts correctly.
        builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=design.db").Options);
}
