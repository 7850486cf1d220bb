namespace Paylink.Core.Common;

/// <summary>
/// The stored answer to a request made with an Idempotency-Key, so a retry gets the same status and
/// body, and a different body under the same key is refused.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord() { }

    public string MerchantId { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string Operation { get; private set; } = "";
    public string RequestHash { get; private set; } = "";
    public int StatusCode { get; private set; }
    public string ResponseBody { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static IdempotencyRecord Create(string merchantId, string key, string operation, string requestHash,
        int statusCode, string responseBody, DateTimeOffset now) => new()
        {
            MerchantId = merchantId, Key = key, Operation = operation, RequestHash = requestHash,
            StatusCode = statusCode, ResponseBody = responseBody, CreatedAt = now,
        };
}
