using Paylink.Core.Common;
using Paylink.Core.Documents;

namespace Paylink.Server.Api;

/// <summary>/api/v1/requisites: the merchant's details for B2B documents (счёт, акт).</summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this RouteGroupBuilder api)
    {
        var r = api.MapGroup("/requisites").WithTags("Documents");
        r.MapGet("", async (MerchantScope scope, RequisitesStore store, CancellationToken ct) =>
                await store.GetAsync(scope.MerchantId!, ct) is { } saved ? Results.Json(saved, PaylinkJson.Output)
                    : Problems.From(Error.NotFound("Requisites")))
            .Produces<Requisites>().ProducesProblem(StatusCodes.Status404NotFound).WithName("GetRequisites");
        r.MapPut("", async (HttpContext http, MerchantScope scope, RequisitesStore store, CancellationToken ct) =>
            {
                var (body, _, error) = await JsonBody.ReadAsync<Requisites>(http.Request, ct);
                if (error is not null) return Problems.BadRequest(error);
                return (await store.SaveAsync(scope.MerchantId!, body!, ct)).ToHttp(v => Results.Json(v, PaylinkJson.Output));
            })
            .Produces<Requisites>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("PutRequisites")
            .WithSummary("Replace the requisites: name, inn, kpp (organisations), ogrn, address, bankName, bic, correspondentAccount, account, " +
                         "signerName, signerPosition, vat (none|vat0|vat5|vat7|vat10|vat22), dueDays. ИНН, ОГРН and account keys are checked.");
    }
}
