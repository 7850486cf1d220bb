using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboundDedupePerAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundEvents_Provider_EventId",
                table: "InboundEvents");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_Provider_AccountId_EventId",
                table: "InboundEvents",
                columns: new[] { "Provider", "AccountId", "EventId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundEvents_Provider_AccountId_EventId",
                table: "InboundEvents");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_Provider_EventId",
                table: "InboundEvents",
                columns: new[] { "Provider", "EventId" },
                unique: true);
        }
    }
}
