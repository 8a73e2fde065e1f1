using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wagate.Worker.Tests;

/// <summary>Makes a real database's session state commands fail, as a database out of reach or a
/// busy file would: writes (the deltas' INSERT) or reads (loading a session's deltas). Every
/// other command runs as usual. The failure is SQLite's "database is locked", which the worker
/// takes for a transient failure, as it does PostgreSQL's lost connections.</summary>
internal sealed class FaultyStateDatabase : DbCommandInterceptor
{
    private const string StateTable = "session_state_deltas";

    private int _writesToFail;
    private int _failedReads;

    public volatile bool FailWrites;

    public volatile bool FailReads;

    /// <summary>Makes the next <paramref name="count"/> writes fail, as a brief outage would.</summary>
    public void FailNextWrites(int count) => Volatile.Write(ref _writesToFail, count);

    /// <summary>How many of those writes have not been tried yet.</summary>
    public int WritesLeftToFail => Math.Max(0, Volatile.Read(ref _writesToFail));

    /// <summary>How many reads failed so far.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        var text = command.CommandText;
        if (text.Contains(StateTable, StringComparison.Ordinal))
        {
            if (text.Contains("INSERT INTO", StringComparison.Ordinal) && (FailWrites || Interlocked.Decrement(ref _writesToFail) >= 0))
            {
                throw Unavailable();
            }
            if (text.StartsWith("SELECT", StringComparison.Ordinal) && FailReads)
            {
                Interlocked.Increment(ref _failedReads);
                throw Unavailable();
            }
        }
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    private static SqliteException Unavailable() => new("SQLite Error 5: 'database is locked'.", 5);
}
