namespace Paylink.Core.Common;

/// <summary>Kinds of expected failure. The HTTP layer maps each to one status code in one place.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    ProviderDeclined,
    ProviderUnavailable,
}

/// <summary>An expected failure with a message for people and, for validation, messages per field.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation_failed", message, new Dictionary<string, string[]> { [field] = [message] });

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation_failed",
            string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}")), fields);

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not_found", $"{what} was not found.");
    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
    public static Error Declined(string message) => new(ErrorKind.ProviderDeclined, "provider_declined", message);
    public static Error Unavailable(string message) => new(ErrorKind.ProviderUnavailable, "provider_unavailable", message);
}

/// <summary>Either a value or an <see cref="Error"/>. Expected outcomes use this; exceptions are for bugs and faults.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error) { _value = value; Error = error; }

    public Error? Error { get; }
    public bool IsSuccess => Error is null;
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result is a failure: {Error.Message}");

    public static Result<T> Ok(T value) => new(value, null);
    public static Result<T> Fail(Error error) => new(default, error);

    public static implicit operator Result<T>(T value) => Ok(value);
    public static implicit operator Result<T>(Error error) => Fail(error);
}

/// <summary>Collects per-field validation messages and turns them into one <see cref="Error"/>.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    public bool Any => _fields.Count > 0;

    public void Add(string field, string message)
    {
        if (!_fields.TryGetValue(field, out var list)) _fields[field] = list = [];
        list.Add(message);
    }

    public Error ToError() => Error.Validation(_fields.ToDictionary(f => f.Key, f => f.Value.ToArray()));
}
