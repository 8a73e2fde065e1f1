using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wagate.Data.Migrations.Sqlite
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
                type: "INTEGER",
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
