using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wagate.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Messaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastEventCursor",
                table: "tenants",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "OwnerToken",
                table: "sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Cursor = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => new { x.TenantId, x.Cursor });
                    table.ForeignKey(
                        name: "FK_events_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SessionId = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Direction = table.Column<int>(type: "INTEGER", nullable: false),
                    Chat = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FailureMessage = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SendTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliverTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReadTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PlayTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FailTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdateTime = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messages", x => new { x.TenantId, x.SessionId, x.Id });
                    table.ForeignKey(
                        name: "FK_messages_sessions_TenantId_SessionId",
                        columns: x => new { x.TenantId, x.SessionId },
                        principalTable: "sessions",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    EventTypes = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Sessions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SecretCiphertext = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreateTime = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhooks", x => new { x.TenantId, x.Id });
                    table.ForeignKey(
                        name: "FK_webhooks_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EventCursor = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptTime = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AttemptCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimToken = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreateTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdateTime = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => new { x.TenantId, x.WebhookId, x.EventCursor });
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_events_TenantId_EventCursor",
                        columns: x => new { x.TenantId, x.EventCursor },
                        principalTable: "events",
                        principalColumns: new[] { "TenantId", "Cursor" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_webhooks_TenantId_WebhookId",
                        columns: x => new { x.TenantId, x.WebhookId },
                        principalTable: "webhooks",
                        principalColumns: new[] { "TenantId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    EventCursor = table.Column<long>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LatencyMs = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseCode = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_attempts", x => new { x.TenantId, x.WebhookId, x.EventCursor, x.Number });
                    table.ForeignKey(
                        name: "FK_webhook_attempts_webhook_deliveries_TenantId_WebhookId_EventCursor",
                        columns: x => new { x.TenantId, x.WebhookId, x.EventCursor },
                        principalTable: "webhook_deliveries",
                        principalColumns: new[] { "TenantId", "WebhookId", "EventCursor" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_events_TenantId_SessionId_Cursor",
                table: "events",
                columns: new[] { "TenantId", "SessionId", "Cursor" });

            migrationBuilder.CreateIndex(
                name: "IX_messages_queued",
                table: "messages",
                columns: new[] { "TenantId", "SessionId", "CreateTime", "Id" },
                filter: "\"State\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_messages_TenantId_Direction_CreateTime",
                table: "messages",
                columns: new[] { "TenantId", "Direction", "CreateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_messages_TenantId_SessionId_CreateTime_Id",
                table: "messages",
                columns: new[] { "TenantId", "SessionId", "CreateTime", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_messages_TenantId_SessionId_ExternalId",
                table: "messages",
                columns: new[] { "TenantId", "SessionId", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_messages_TenantId_SessionId_RequestId",
                table: "messages",
                columns: new[] { "TenantId", "SessionId", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_pending",
                table: "webhook_deliveries",
                column: "NextAttemptTime",
                filter: "\"State\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_TenantId_EventCursor",
                table: "webhook_deliveries",
                columns: new[] { "TenantId", "EventCursor" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "webhooks");

            migrationBuilder.DropColumn(
                name: "LastEventCursor",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "OwnerToken",
                table: "sessions");
        }
    }
}
