using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Paylink.Core.Data;

/// <summary>
/// An EF compiled query kept per model. A compiled query binds to the first model it runs on and throws
/// for any other, while one process can hold several (SQLite and PostgreSQL contexts, test hosts): each
/// model gets its own compilation, looked up without allocating.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
