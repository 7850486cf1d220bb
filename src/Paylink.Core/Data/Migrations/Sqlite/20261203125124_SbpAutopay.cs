using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "card");   // every method saved before SBP autopay is a card (or a gateway-page method saved like one)

            migrationBuilder.AddColumn<string>(
                name: "RevokedReason",
                table: "SavedPaymentMethods",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BindsAccount",
                table: "SandboxCheckouts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "BindingKey",
                table: "PaymentAttempts",
                type: "TEXT",
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
