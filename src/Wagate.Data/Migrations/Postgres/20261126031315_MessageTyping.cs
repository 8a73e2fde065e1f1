using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wagate.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageTyping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TypingMillis",
                table: "messages",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TypingMillis",
                table: "messages");
        }
    }
}
