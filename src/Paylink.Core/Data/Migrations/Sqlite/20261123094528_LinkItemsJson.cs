using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            // Keep existing items: copy each link's rows (incl. the fiscal columns added by Gateways) into the JSON column before the table goes.
            migrationBuilder.Sql("""
                UPDATE "PaymentLinks" SET "Items" = (
                    SELECT json_group_array(json_object('AmountMinor', i."AmountMinor", 'Name', i."Name", 'Position', i."Position",
                        'Quantity', i."Quantity", 'ServiceId', i."ServiceId",
                        'Vat', i."Vat", 'PaymentObject', i."PaymentObject", 'Measure', i."Measure"))
                    FROM (SELECT * FROM "LinkItems" WHERE "LinkId" = "PaymentLinks"."Id" ORDER BY "Position") AS i)
                WHERE EXISTS (SELECT 1 FROM "LinkItems" WHERE "LinkId" = "PaymentLinks"."Id");
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
                    LinkId = table.Column<string>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Vat = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    PaymentObject = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Measure = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
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
