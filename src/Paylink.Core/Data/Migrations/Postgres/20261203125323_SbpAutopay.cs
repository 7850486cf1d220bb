using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SbpAutopay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Method",
                table: "SavedPaymentMethods",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "card");   // every method saved before SBP autopay is a card (or a gateway-page method saved like one)

            migrationBuilder.AddColumn<string>(
                name: "RevokedReason",
                table: "SavedPaymentMethods",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BindsAccount",
                table: "SandboxCheckouts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "BindingKey",
                table: "PaymentAttempts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentAttempts_BindingKey",
                table: "PaymentAttempts",
                column: "BindingKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PaymentAttempts_BindingKey",
                table: "PaymentAttempts");

            migrationBuilder.DropColumn(
                name: "Method",
                table: "SavedPaymentMethods");

            migrationBuilder.DropColumn(
                name: "RevokedReason",
                table: "SavedPaymentMethods");

            migrationBuilder.DropColumn(
                name: "BindsAccount",
                table: "SandboxCheckouts");

            migrationBuilder.DropColumn(
                name: "BindingKey",
                table: "PaymentAttempts");
        }
    }
}
