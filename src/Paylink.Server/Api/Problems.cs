using Paylink.Core.Common;

namespace Paylink.Server.Api;

/// <summary>The one place where expected errors become RFC 9457 problem details.</summary>
public static class Problems
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.ProviderDeclined => StatusCodes.Status402PaymentRequired,
        ErrorKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult From(Error error, int? status = null)
    {
        var code = status ?? StatusOf(error.Kind);
        return Results.Json(Body(error, code), PaylinkJson.Output, "application/problem+json", code);
    }

    /// <summary>The problem document: type, title, status, detail, a stable <c>code</c> and per-field <c>errors</c>.</summary>
    public static Dictionary<string, object?> Body(Error error, int status)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"https://paylink.dev/problems/{error.Code.Replace('_', '-')}",
            ["title"] = status == StatusCodes.Status400BadRequest ? "The request body is not valid for this endpoint." : TitleOf(error.Kind),
            ["status"] = status,
            ["detail"] = error.Message,
            ["code"] = error.Code,
        };
        if (error.Fields is { Count: > 0 }) body["errors"] = error.Fields;
        return body;
    }

    /// <summary>400 for a body that is not the JSON the endpoint takes (syntax, types).</summary>
    public static IResult BadRequest(Error error) => From(error, StatusCodes.Status400BadRequest);

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "Conflict with the current state.",
        ErrorKind.Unauthorized => "Authentication required.",
        ErrorKind.ProviderDeclined => "Declined by the payment provider.",
        ErrorKind.ProviderUnavailable => "Payment provider unavailable.",
        _ => "Error.",
    };

    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> ok) => result.IsSuccess ? ok(result.Value) : From(result.Error!);
}
