using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paylink.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChannelFallback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChannelOrder",
                table: "Customers",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FallbackFromId",
                table: "ChannelMessages",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChannelMessages_FallbackFromId",
                table: "ChannelMessages",
                column: "FallbackFromId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChannelMessages_FallbackFromId",
                table: "ChannelMessages");

            migrationBuilder.DropColumn(
                name: "ChannelOrder",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "FallbackFromId",
                table: "ChannelMessages");
        }
    }
}
