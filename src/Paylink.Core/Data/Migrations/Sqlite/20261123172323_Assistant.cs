using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Assistant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AssistantCursor",
                table: "Conversations",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AssistantLeaseUntil",
                table: "Conversations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AssistantPaused",
                table: "Conversations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "AssistantState",
                table: "Conversations",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssistantDecisions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Confidence = table.Column<double>(type: "REAL", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    BookingId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    LinkId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssistantDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssistantDecisions_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MerchantSettings",
                columns: table => new
                {
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Json = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MerchantSettings", x => new { x.MerchantId, x.Kind });
                    table.ForeignKey(
                        name: "FK_MerchantSettings_Merchants_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Merchants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssistantDecisions_ConversationId_Id",
                table: "AssistantDecisions",
                columns: new[] { "ConversationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_AssistantDecisions_MerchantId_Id",
                table: "AssistantDecisions",
                columns: new[] { "MerchantId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssistantDecisions");

            migrationBuilder.DropTable(
                name: "MerchantSettings");

            // SQLite's own DROP COLUMN: EF's table rebuild needs the previous migration's model of Conversations,
            // which the Crm migration's snapshot lacks (it was generated on a parallel branch).
            migrationBuilder.Sql("ALTER TABLE \"Conversations\" DROP COLUMN \"AssistantCursor\";");

            migrationBuilder.Sql("ALTER TABLE \"Conversations\" DROP COLUMN \"AssistantLeaseUntil\";");

            migrationBuilder.Sql("ALTER TABLE \"Conversations\" DROP COLUMN \"AssistantPaused\";");

            migrationBuilder.Sql("ALTER TABLE \"Conversations\" DROP COLUMN \"AssistantState\";");
        }
    }
}
