using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LinkItemsJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Items",
                table: "PaymentLinks",
                type: "jsonb",
                nullable: true);

            // Keep existing items: copy each link's rows (incl. the fiscal columns added by Gateways) into the JSON column before the table goes.
            migrationBuilder.Sql("""
                UPDATE "PaymentLinks" AS l SET "Items" = (
                    SELECT jsonb_agg(jsonb_build_object('AmountMinor', i."AmountMinor", 'Name', i."Name", 'Position', i."Position",
                        'Quantity', i."Quantity", 'ServiceId', i."ServiceId",
                        'Vat', i."Vat", 'PaymentObject', i."PaymentObject", 'Measure', i."Measure") ORDER BY i."Position")
                    FROM "LinkItems" AS i WHERE i."LinkId" = l."Id")
                WHERE EXISTS (SELECT 1 FROM "LinkItems" AS i WHERE i."LinkId" = l."Id");
                """);

            migrationBuilder.DropTable(
                name: "LinkItems");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Items",
                table: "PaymentLinks");

            migrationBuilder.CreateTable(
                name: "LinkItems",
                columns: table => new
                {
                    LinkId = table.Column<string>(type: "character varying(40)", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    ServiceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Vat = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    PaymentObject = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Measure = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkItems", x => new { x.LinkId, x.Position });
                    table.ForeignKey(
                        name: "FK_LinkItems_PaymentLinks_LinkId",
                        column: x => x.LinkId,
                        principalTable: "PaymentLinks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }
    }
}
