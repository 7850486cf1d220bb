using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_LockedUntil",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_State_RunAt",
                table: "Jobs");

            migrationBuilder.CreateIndex(
                name: "IX_PaymentLinks_MerchantId_CreatedAt",
                table: "PaymentLinks",
                columns: new[] { "MerchantId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentLinks_MerchantId_Status_Id",
                table: "PaymentLinks",
                columns: new[] { "MerchantId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_LockedUntil",
                table: "Jobs",
                column: "LockedUntil",
                filter: "\"State\" = 'Running'");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Pending_RunAt",
                table: "Jobs",
                column: "RunAt",
                filter: "\"State\" = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Succeeded_CompletedAt",
                table: "Jobs",
                column: "CompletedAt",
                filter: "\"State\" = 'Succeeded'");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_MerchantId_CreatedAt",
                table: "Deals",
                columns: new[] { "MerchantId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_MerchantId_StartAt",
                table: "Bookings",
                columns: new[] { "MerchantId", "StartAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PaymentLinks_MerchantId_CreatedAt",
                table: "PaymentLinks");

            migrationBuilder.DropIndex(
                name: "IX_PaymentLinks_MerchantId_Status_Id",
                table: "PaymentLinks");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_LockedUntil",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_Pending_RunAt",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_Succeeded_CompletedAt",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Deals_MerchantId_CreatedAt",
                table: "Deals");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_MerchantId_StartAt",
                table: "Bookings");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_LockedUntil",
                table: "Jobs",
                column: "LockedUntil");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_State_RunAt",
                table: "Jobs",
                columns: new[] { "State", "RunAt" });
        }
    }
}
