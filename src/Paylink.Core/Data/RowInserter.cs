using System.Buffers;
using System.Collections;
using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Paylink.Core.Data;

/// <summary>
/// A prepared INSERT of one entity type's row, built from the EF model: the table, the column names, each
/// property's value converter and type mapping (which creates the provider's parameter), owned collections
/// stored as a JSON column, and an integer key the database generates (read back with RETURNING). It
/// writes what SaveChanges would write (tests compare the rows) without change tracking, SQL generation
/// or a new statement per row: the hot path of group-committed link creation (docs/performance.md).
/// Entity types it cannot reproduce exactly (shadow properties, table splitting, inheritance, owned
/// types outside a JSON column) are refused when it is built, not written wrongly.
/// </summary>
public sealed class RowInserter
{
    private readonly string _sql;
    private readonly Column[] _columns;
    /// <summary>The backing field of the key the database generates (read back with RETURNING), if any.</summary>
    private readonly FieldInfo? _generatedKey;

    private sealed record Column(string Parameter, RelationalTypeMapping Mapping, bool Nullable, Func<object, object?> ProviderValue);

    private RowInserter(string sql, Column[] columns, FieldInfo? generatedKey, string table, string[] columnNames)
    {
        _sql = sql;
        _columns = columns;
        _generatedKey = generatedKey;
        Table = table;
        ColumnNames = columnNames;
    }

    /// <summary>The table, delimited for this provider's SQL.</summary>
    public string Table { get; }

    /// <summary>The columns written (delimited), in the order of <see cref="Values"/>; a database-generated key is not among them.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The store type of column <paramref name="i"/> without its facets ("character varying", "jsonb"): what a
    /// PostgreSQL binary COPY needs to name the wire format.</summary>
    public string StoreTypeName(int i)
    {
        var t = _columns[i].Mapping.StoreType;
        var paren = t.IndexOf('(', StringComparison.Ordinal);
        return paren < 0 ? t : t[..paren].TrimEnd();
    }

    /// <summary>The provider values of <paramref name="entity"/>'s row (what <see cref="InsertAsync"/> binds), for bulk writers
    /// (PostgreSQL COPY) that send rows their own way.</summary>
    public void Values(object entity, object?[] into)
    {
        for (var i = 0; i < _columns.Length; i++) into[i] = _columns[i].ProviderValue(entity);
    }

    private static readonly ConditionalWeakTable<IModel, Dictionary<Type, RowInserter>> Cache = [];

    /// <summary>The inserter of <typeparamref name="T"/> in this context's model (built once per model).</summary>
    public static RowInserter For<T>(DbContext db) where T : class
    {
        var byType = Cache.GetValue(db.Model, _ => []);
        lock (byType)
        {
            if (!byType.TryGetValue(typeof(T), out var inserter))
                byType[typeof(T)] = inserter = Build(db.Model, typeof(T), db.GetService<ISqlGenerationHelper>());
            return inserter;
        }
    }

    private static RowInserter Build(IModel model, Type clrType, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model.");
        var name = clrType.Name;
        if (entity.BaseType is not null || entity.GetDirectlyDerivedTypes().Any())
            throw new NotSupportedException($"RowInserter: {name} takes part in inheritance.");
        var tableName = entity.GetTableName() ?? throw new NotSupportedException($"RowInserter: {name} is not mapped to a table.");
        var store = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var table = model.GetRelationalModel().FindTable(tableName, entity.GetSchema())!;
        if (table.EntityTypeMappings.Any(m => m.TypeBase != entity && !IsJsonOwned(m.TypeBase)))
            throw new NotSupportedException($"RowInserter: table {tableName} is shared with other entity types.");

        var columns = new List<(string Name, Column Column)>();
        IProperty? generatedKey = null;
        foreach (var p in entity.GetProperties())
        {
            if (p.IsShadowProperty()) throw new NotSupportedException($"RowInserter: {name}.{p.Name} is a shadow property.");
            if (p.IsPrimaryKey() && p.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && p.ClrType == typeof(long))
            {
                generatedKey = p;
                continue;
            }
            if (p.ValueGenerated != ValueGenerated.Never && !p.IsPrimaryKey())
                throw new NotSupportedException($"RowInserter: {name}.{p.Name} is generated by the database.");
            var mapping = p.GetRelationalTypeMapping();
            var getter = p.GetGetter();
            var converter = mapping.Converter;
            Func<object, object?> value = converter is null
                ? e => getter.GetClrValueUsingContainingEntity(e)
                : e => getter.GetClrValueUsingContainingEntity(e) is { } v ? converter.ConvertToProvider(v) : null;
            columns.Add((p.GetColumnName(store)!, new Column(sql.GenerateParameterName("p" + columns.Count), mapping, p.IsNullable, value)));
        }
        if (entity.GetComplexProperties().Any()) throw new NotSupportedException($"RowInserter: {name} has complex properties.");
        foreach (var nav in entity.GetNavigations())
        {
            if (!nav.ForeignKey.IsOwnership || nav.IsOnDependent) continue;
            var owned = nav.TargetEntityType;
            if (!owned.IsMappedToJson()) throw new NotSupportedException($"RowInserter: {name}.{nav.Name} is owned but not stored as JSON.");
            var columnName = owned.GetContainerColumnName()!;
            var mapping = (RelationalTypeMapping)table.FindColumn(columnName)!.StoreTypeMapping;
            var json = JsonWriterFor(nav);
            var navGetter = nav.GetGetter();
            columns.Add((columnName, new Column(sql.GenerateParameterName("p" + columns.Count), mapping, true,
                e => navGetter.GetClrValue(e) is { } v ? json(v) : null)));
        }
        var covered = columns.Select(c => c.Name).Append(generatedKey?.GetColumnName(store)).OfType<string>().ToHashSet();
        var missing = table.Columns.Select(c => c.Name).Where(c => !covered.Contains(c)).ToList();
        if (missing.Count > 0) throw new NotSupportedException($"RowInserter: columns of {tableName} not covered: {string.Join(", ", missing)}.");

        var text = $"INSERT INTO {sql.DelimitIdentifier(tableName, entity.GetSchema())} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
                   $"VALUES ({string.Join(", ", columns.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i)))})";
        if (generatedKey is not null)
        {
            if (generatedKey.FieldInfo is null) throw new NotSupportedException($"RowInserter: {name}.{generatedKey.Name} has no backing field to set.");
            text += $" RETURNING {sql.DelimitIdentifier(generatedKey.GetColumnName(store)!)}";
        }
        return new RowInserter(text, columns.Select(c => c.Column).ToArray(), generatedKey?.FieldInfo,
            sql.DelimitIdentifier(tableName, entity.GetSchema()), columns.Select(c => sql.DelimitIdentifier(c.Name)).ToArray());
    }

    private static bool IsJsonOwned(ITypeBase type) => type is IEntityType e && e.IsMappedToJson();

    /// <summary>
    /// Serialises an owned reference or collection as EF stores it in its JSON column: each property under its
    /// JSON name, written by its type mapping's JSON reader/writer, keys (ordinal, owner) left out.
    /// </summary>
    private static Func<object, string> JsonWriterFor(INavigation nav)
    {
        var owned = nav.TargetEntityType;
        if (owned.GetNavigations().Any() || owned.GetComplexProperties().Any())
            throw new NotSupportedException($"RowInserter: the JSON of {nav.Name} has nested navigations.");
        var props = owned.GetProperties()
            .Select(p => (Name: p.GetJsonPropertyName(), Property: p))
            .Where(x => x.Name is not null)
            .Select(x => (Name: JsonEncodedText.Encode(x.Name!), Getter: x.Property.GetGetter(),
                Writer: x.Property.GetJsonValueReaderWriter() ?? x.Property.GetTypeMapping().JsonValueReaderWriter
                        ?? throw new NotSupportedException($"RowInserter: {owned.DisplayName()}.{x.Property.Name} has no JSON writer.")))
            .ToArray();
        var isCollection = nav.IsCollection;
        return value =>
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer))
            {
                if (isCollection)
                {
                    w.WriteStartArray();
                    foreach (var item in (IEnumerable)value) WriteObject(w, item);
                    w.WriteEndArray();
                }
                else WriteObject(w, value);
            }
            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        };

        void WriteObject(Utf8JsonWriter w, object item)
        {
            w.WriteStartObject();
            foreach (var (name, getter, writer) in props)
            {
                w.WritePropertyName(name);
                if (getter.GetClrValue(item) is { } v) writer.ToJson(w, v);
                else w.WriteNullValue();
            }
            w.WriteEndObject();
        }
    }

    /// <summary>
    /// A command for this insert on <paramref name="connection"/> in <paramref name="transaction"/>, prepared; reuse it for
    /// every row. SQLite keeps the compiled statement with the command; Npgsql keeps it with the physical connection, so
    /// later batches on a pooled connection skip the parse and plan.
    /// </summary>
    public async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = _sql;
        foreach (var c in _columns) cmd.Parameters.Add(c.Mapping.CreateParameter(cmd, c.Parameter, null, c.Nullable));
        await cmd.PrepareAsync(ct);
        return cmd;
    }

    /// <summary>Inserts <paramref name="entity"/> with a command from <see cref="Prepare"/>; sets a generated key on the entity.</summary>
    public async Task InsertAsync(DbCommand cmd, object entity, CancellationToken ct)
    {
        for (var i = 0; i < _columns.Length; i++) cmd.Parameters[i].Value = _columns[i].ProviderValue(entity) ?? DBNull.Value;
        if (_generatedKey is null)
        {
            if (await cmd.ExecuteNonQueryAsync(ct) != 1) throw new InvalidOperationException("INSERT did not write one row.");
            return;
        }
        var key = await cmd.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException("INSERT … RETURNING gave no key.");
        _generatedKey.SetValue(entity, Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture));
    }
}
