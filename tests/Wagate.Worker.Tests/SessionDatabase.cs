using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Entities;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Storage;
using Wagate.Worker.Messaging;
using Wagate.Worker.State;
using Wagate.Worker.Telemetry;
using Wagate.Testing;

namespace Wagate.Worker.Tests;

/// <summary>The gateways' database as workers find it: migrated, with the rows of the tenants and
/// sessions a test runs (a worker claims each session's row before it runs it).</summary>
internal static class SessionDatabase
{
    /// <summary>A fresh PostgreSQL database (from the server tools/test starts) holding <paramref name="sessions"/>.</summary>
    public static async Task<string> CreatePostgresAsync(params SessionKey[] sessions)
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        await SeedAsync(DatabaseOptions.Postgres(connectionString), sessions);
        return connectionString;
    }

    /// <summary>A SQLite file in <paramref name="directory"/> holding <paramref name="sessions"/>, as a single node's.</summary>
    public static async Task<DatabaseOptions> CreateSqliteAsync(string directory, params SessionKey[] sessions)
    {
        var options = DatabaseOptions.SqliteIn(directory);
        await SeedAsync(options, sessions);
        return options;
    }

    /// <summary>A worker's messaging over the SQLite file <see cref="CreateSqliteAsync"/> makes in
    /// <paramref name="directory"/> (built before the file is, since nothing is read until a
    /// session runs), with media in a directory beside it and no send pacing.</summary>
    public static WorkerMessaging SqliteMessaging(string directory) => new(
        new WorkerMessageLedger(new WagateDbContextFactory(DatabaseOptions.SqliteIn(directory))),
        new MediaStore(new LocalDirectoryBlobStore(Path.Combine(directory, "media")), RandomNumberGenerator.GetBytes(32)),
        SendPacing.None);

    /// <summary>A worker's session state store over the SQLite file <see cref="CreateSqliteAsync"/>
    /// makes in <paramref name="directory"/>, with snapshots in <paramref name="blobs"/>. Dispose it.</summary>
    public static DatabaseSessionStateStore SqliteStateStore(string directory, IBlobStore blobs, TenantStateCipher cipher, WorkerMetrics? metrics = null) =>
        new(new SessionStateLog(new WagateDbContextFactory(DatabaseOptions.SqliteIn(directory))), blobs, cipher,
            NullLogger<DatabaseSessionStateStore>.Instance, metrics);

    /// <summary>Adds the row of one more session (and of its tenant, if new) to a seeded database.</summary>
    public static async Task AddAsync(DatabaseOptions options, SessionKey session)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(options);
        var now = DateTime.UtcNow;
        if (await db.Tenants.FindAsync(session.TenantId) is null)
        {
            db.Tenants.Add(new TenantRecord { Id = session.TenantId, DisplayName = session.TenantId, CreateTime = now, UpdateTime = now });
        }
        db.Sessions.Add(new SessionRecord { TenantId = session.TenantId, Id = session.SessionId, DisplayName = session.SessionId, CreateTime = now, UpdateTime = now });
        await db.SaveChangesAsync();
    }

    private static async Task SeedAsync(DatabaseOptions options, SessionKey[] sessions)
    {
        await using var db = DataServiceCollectionExtensions.CreateContext(options);
        await db.MigrateAsync();
        var now = DateTime.UtcNow;
        foreach (var tenant in sessions.Select(s => s.TenantId).Distinct())
        {
            db.Tenants.Add(new TenantRecord { Id = tenant, DisplayName = tenant, CreateTime = now, UpdateTime = now });
        }
        foreach (var session in sessions)
        {
            db.Sessions.Add(new SessionRecord { TenantId = session.TenantId, Id = session.SessionId, DisplayName = session.SessionId, CreateTime = now, UpdateTime = now });
        }
        await db.SaveChangesAsync();
    }
}
