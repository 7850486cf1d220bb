using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Crm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CrmAccounts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ProtectedSettings = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReconciledUntil = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmAccounts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CrmAccounts_Merchants_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Merchants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CrmLogEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DealId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmLogEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CrmTasks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DealId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Deals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ContactId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    IsLead = table.Column<bool>(type: "INTEGER", nullable: false),
                    ServiceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LinkId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    BookingId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Deals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Deals_Customers_ContactId",
                        column: x => x.ContactId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Deals_Merchants_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Merchants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TimelineEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MerchantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ContactId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DealId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimelineEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CrmRemoteLinks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EntityType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LocalId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    RemoteId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    PushedStage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmRemoteLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CrmRemoteLinks_CrmAccounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "CrmAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CrmAccounts_MerchantId",
                table: "CrmAccounts",
                column: "MerchantId");

            migrationBuilder.CreateIndex(
                name: "IX_CrmLogEntries_AccountId_Id",
                table: "CrmLogEntries",
                columns: new[] { "AccountId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CrmRemoteLinks_AccountId_EntityType_LocalId",
                table: "CrmRemoteLinks",
                columns: new[] { "AccountId", "EntityType", "LocalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CrmRemoteLinks_AccountId_EntityType_RemoteId",
                table: "CrmRemoteLinks",
                columns: new[] { "AccountId", "EntityType", "RemoteId" });

            migrationBuilder.CreateIndex(
                name: "IX_CrmTasks_DealId",
                table: "CrmTasks",
                column: "DealId");

            migrationBuilder.CreateIndex(
                name: "IX_CrmTasks_MerchantId_Status",
                table: "CrmTasks",
                columns: new[] { "MerchantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Deals_ContactId",
                table: "Deals",
                column: "ContactId");

            migrationBuilder.CreateIndex(
                name: "IX_Deals_MerchantId_BookingId",
                table: "Deals",
                columns: new[] { "MerchantId", "BookingId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deals_MerchantId_LinkId",
                table: "Deals",
                columns: new[] { "MerchantId", "LinkId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Deals_MerchantId_Stage",
                table: "Deals",
                columns: new[] { "MerchantId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEntries_ContactId",
                table: "TimelineEntries",
                column: "ContactId");

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEntries_DealId",
                table: "TimelineEntries",
                column: "DealId");

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEntries_MerchantId_SourceKey",
                table: "TimelineEntries",
                columns: new[] { "MerchantId", "SourceKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CrmLogEntries");

            migrationBuilder.DropTable(
                name: "CrmRemoteLinks");

            migrationBuilder.DropTable(
                name: "CrmTasks");

            migrationBuilder.DropTable(
                name: "Deals");

            migrationBuilder.DropTable(
                name: "TimelineEntries");

            migrationBuilder.DropTable(
                name: "CrmAccounts");
        }
    }
}
