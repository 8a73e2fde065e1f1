using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests.Support;

/// <summary>A running gateway that serves the whole API, shared by the tests of a class: test
/// classes of behaviour run against each fixture, the single node and a cluster.</summary>
public interface IServerFixture
{
    TestServer Server { get; }
}

/// <summary>One single-node server (SQLite) shared by the tests of a class.</summary>
public class SingleNodeFixture : IServerFixture, IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public TestServer Server { get; private set; } = null!;

    /// <summary>Settings of the single node, as --NAME=value.</summary>
    protected virtual IReadOnlyList<string> Settings => [];

    /// <summary>The directory of the node's blob store (session state, media).</summary>
    public string StateDirectory => Path.Combine(_data.Path, "state");

    public virtual async Task InitializeAsync() => Server = await TestServer.StartSingleNodeAsync(_data.Path, [.. Settings]);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>One cluster-mode gateway on a fresh PostgreSQL database, shared by a class.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        Server = await TestServer.StartOnPostgresAsync(ConnectionString);
    }

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
