using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PaymentMethod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Method",
                table: "Payments",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "card");

            migrationBuilder.AddColumn<string>(
                name: "DefaultMethod",
                table: "PaymentLinks",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Method",
                table: "PaymentAttempts",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "card");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Method",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "DefaultMethod",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "Method",
                table: "PaymentAttempts");
        }
    }
}
