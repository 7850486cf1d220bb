namespace Paylink.Core.Providers;

/// <summary>Anything looked up by a stable lowercase id (<c>sandbox</c>, <c>tbank</c>, <c>telegram</c>…).</summary>
public interface IProvider
{
    string Id { get; }
}

/// <summary>Providers of one kind, keyed by id. Registered through DI; looked up instead of switching on names.</summary>
public sealed class ProviderRegistry<T>(IEnumerable<T> providers) where T : IProvider
{
    private readonly Dictionary<string, T> _byId = providers.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public IEnumerable<T> All => _byId.Values;
    public IEnumerable<string> Ids => _byId.Keys;

    public bool TryGet(string? id, out T provider)
    {
        if (id is not null && _byId.TryGetValue(id, out var p)) { provider = p; return true; }
        provider = default!;
        return false;
    }

    public T Get(string id) => _byId.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"No provider '{id}' of kind {typeof(T).Name}.");
}
