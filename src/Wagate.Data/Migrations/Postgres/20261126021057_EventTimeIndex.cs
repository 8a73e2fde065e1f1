using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wagate.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventTimeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_events_Time",
                table: "events",
                column: "Time");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_events_Time",
                table: "events");
        }
    }
}
