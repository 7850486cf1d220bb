using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Gateways : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CapturedAt",
                table: "Payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CapturedMinor",
                table: "Payments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RefundedMinor",
                table: "Payments",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "Payments",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Captured");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Payments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AuthorizedAt",
                table: "PaymentLinks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CaptureMode",
                table: "PaymentLinks",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "Automatic");

            migrationBuilder.AddColumn<bool>(
                name: "SavePaymentMethod",
                table: "PaymentLinks",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SettledAt",
                table: "PaymentLinks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "VoidedAt",
                table: "PaymentLinks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConsentJson",
                table: "PaymentAttempts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SavedMethodId",
                table: "PaymentAttempts",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_DefaultMeasure",
                table: "Merchants",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "piece");

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_DefaultPaymentObject",
                table: "Merchants",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "service");

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_DefaultVat",
                table: "Merchants",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "none");

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_FfdVersion",
                table: "Merchants",
                type: "character varying(5)",
                maxLength: 5,
                nullable: false,
                defaultValue: "1.2");

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_PaymentMethod",
                table: "Merchants",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "full_payment");

            migrationBuilder.AddColumn<bool>(
                name: "Fiscal_ReceiptsEnabled",
                table: "Merchants",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Fiscal_TaxSystem",
                table: "Merchants",
                type: "character varying(30)",
                maxLength: 30,
                nullable: false,
                defaultValue: "usn_income");

            migrationBuilder.AddColumn<string>(
                name: "Measure",
                table: "LinkItems",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PaymentObject",
                table: "LinkItems",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Vat",
                table: "LinkItems",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeletedAt",
                table: "GatewayAccounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Refunds",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    LinkId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PaymentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    GatewayAccountId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ReceiptJson = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    External = table.Column<bool>(type: "boolean", nullable: false),
                    SendAttempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Refunds_Payments_PaymentId",
                        column: x => x.PaymentId,
                        principalTable: "Payments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SavedPaymentMethods",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    GatewayAccountId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProtectedToken = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SourceLinkId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ConsentVersion = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ConsentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ConsentChannel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ConsentIp = table.Column<string>(type: "character varying(45)", maxLength: 45, nullable: true),
                    ConsentUserAgent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedPaymentMethods", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedPaymentMethods_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PaymentAttempts_Status_CreatedAt",
                table: "PaymentAttempts",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_LinkId",
                table: "Refunds",
                column: "LinkId");

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_PaymentId",
                table: "Refunds",
                column: "PaymentId");

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status_CreatedAt",
                table: "Refunds",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedPaymentMethods_CustomerId",
                table: "SavedPaymentMethods",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedPaymentMethods_SourceLinkId",
                table: "SavedPaymentMethods",
                column: "SourceLinkId",
                unique: true);
            // Payments recorded before holds existed were captured in full.
            migrationBuilder.Sql("UPDATE \"Payments\" SET \"CapturedMinor\" = \"AmountMinor\", \"CapturedAt\" = \"PaidAt\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Refunds");

            migrationBuilder.DropTable(
                name: "SavedPaymentMethods");

            migrationBuilder.DropIndex(
                name: "IX_PaymentAttempts_Status_CreatedAt",
                table: "PaymentAttempts");

            migrationBuilder.DropColumn(
                name: "CapturedAt",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "CapturedMinor",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "RefundedMinor",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "AuthorizedAt",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "CaptureMode",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "SavePaymentMethod",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "SettledAt",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "VoidedAt",
                table: "PaymentLinks");

            migrationBuilder.DropColumn(
                name: "ConsentJson",
                table: "PaymentAttempts");

            migrationBuilder.DropColumn(
                name: "SavedMethodId",
                table: "PaymentAttempts");

            migrationBuilder.DropColumn(
                name: "Fiscal_DefaultMeasure",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_DefaultPaymentObject",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_DefaultVat",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_FfdVersion",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_PaymentMethod",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_ReceiptsEnabled",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Fiscal_TaxSystem",
                table: "Merchants");

            migrationBuilder.DropColumn(
                name: "Measure",
                table: "LinkItems");

            migrationBuilder.DropColumn(
                name: "PaymentObject",
                table: "LinkItems");

            migrationBuilder.DropColumn(
                name: "Vat",
                table: "LinkItems");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "GatewayAccounts");
        }
    }
}
