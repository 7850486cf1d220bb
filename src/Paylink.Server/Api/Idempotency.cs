using System.Text;
using Microsoft.EntityFrameworkCore;
using Paylink.Core.Common;
using Paylink.Core.Data;

namespace Paylink.Server.Api;

/// <summary>
/// Idempotency-Key handling for creating requests: the stored answer is written in the same transaction
/// as the resource, so a retry after a crash or timeout either finds both or neither. The same key with
/// the same body replays the first answer byte for byte; with a different body it is a 409.
/// </summary>
public sealed class Idempotency(AppDbContext db, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    private const int MaxRetries = 2;

    public sealed record Answer(int Status, string Json)
    {
        /// <summary>An error as the problem-details answer an endpoint would give (stored only if 2xx, replayed as is).</summary>
        public static Answer Problem(Error error, int? status = null)
        {
            var code = status ?? Problems.StatusOf(error.Kind);
            return new(code, System.Text.Json.JsonSerializer.Serialize(Problems.Body(error, code), PaylinkJson.Output));
        }
    }

    /// <summary>Reads and checks the header: null when absent, an error when malformed.</summary>
    public static (string? Key, Error? Error) KeyOf(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return (null, null);
        var key = values.ToString();
        if (key.Length is 0 or > 255 || key.Any(c => c < 0x21 || c > 0x7e))
            return (null, Error.Validation(Header, "Idempotency-Key must be 1–255 printable ASCII characters without spaces."));
        return (key, null);
    }

    /// <summary>
    /// Runs <paramref name="action"/> once per (merchant, key). The action adds its rows and saves
    /// within the transaction opened here; failures (non-2xx answers) are not remembered.
    /// </summary>
    public async Task<Answer> RunAsync(string merchantId, string? key, string operation, byte[] body, Func<Task<Answer>> action, CancellationToken ct)
    {
        if (key is null) return await action();
        var hash = Hashing.Sha256Hex(Encoding.UTF8.GetBytes(operation).Concat(body).ToArray());
        for (var attempt = 0; ; attempt++)
        {
            var replay = await FindAsync(merchantId, key, operation, hash, ct);
            if (replay is not null) return replay;

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var answer = await action();
            if (answer.Status is < 200 or >= 300) return answer;   // rolled back on dispose
            db.IdempotencyRecords.Add(IdempotencyRecord.Create(merchantId, key, operation, hash, answer.Status, answer.Json, clock.GetUtcNow()));
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return answer;
            }
            catch (DbUpdateException ex) when (AppDbContext.IsUniqueViolation(ex) && attempt < MaxRetries)
            {
                // A concurrent request with the same key committed first: undo ours and answer as it did.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<Answer?> FindAsync(string merchantId, string key, string operation, string hash, CancellationToken ct)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.MerchantId == merchantId && r.Key == key, ct);
        if (record is null) return null;
        if (record.Operation != operation || record.RequestHash != hash)
            return Answer.Problem(Error.Conflict("idempotency_key_reused", "This Idempotency-Key was already used with a different request body."));
        return new Answer(record.StatusCode, record.ResponseBody);
    }
}
