using System.Text;
using Paylink.Core.Common;
using Paylink.Core.Merchants;
using Paylink.Core.Payments;

namespace Paylink.Server.Api;

/// <summary>GET /api/v1/payments/export: the accounting CSV (docs/export.md).</summary>
public static class PaymentsExportApi
{
    public static void MapPaymentsExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/payments/export", async (string? from, string? to, string? format, HttpContext http, MerchantScope scope, MerchantCache merchants,
            ExportPayments export, CancellationToken ct) =>
        {
            var merchant = await merchants.GetAsync(scope.MerchantId!, ct);
            var period = ExportPayments.ParsePeriod(from, to, format, merchant!.Zone);
            if (!period.IsSuccess) return Problems.From(period.Error!);
            var csv = await export.HandleAsync(scope.MerchantId!, period.Value, ct);
            if (!csv.IsSuccess) return Problems.From(csv.Error!);
            var zone = merchant.Zone;
            http.Response.Headers.ContentDisposition =
                $"attachment; filename=\"payments_{DateFormat.ToLocal(period.Value.From, zone):yyyyMMdd}_{DateFormat.ToLocal(period.Value.To.AddTicks(-1), zone):yyyyMMdd}.csv\"";
            return Results.Text(csv.Value, "text/csv; charset=utf-8", new UTF8Encoding(false));
        }).WithTags("Payments").ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).WithName("ExportPayments")
          .WithSummary("Payments, refunds and closing receipts of a period as CSV (UTF-8 with BOM, ';' separator); columns in docs/export.md.");
    }
}
