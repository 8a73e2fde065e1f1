using Grpc.Core;
using Npgsql;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>An unexpected failure (here: the database disappears) reaches clients as INTERNAL
/// with a request id, never with exception text or a stack trace.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public async Task A_lost_database_is_an_internal_error_that_leaks_nothing()
    {
        var fixture = new PostgresFixture();
        await fixture.InitializeAsync();
        try
        {
            var rest = fixture.Server.Api(Protocol.Rest);
            var account = await Account.RegisterAsync(rest);
            var database = new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Database;
            NpgsqlConnection.ClearAllPools();
            await using (var admin = new NpgsqlConnection(TestPostgres.ServerConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE {database} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }

            var overRest = await Assert.ThrowsAsync<ApiCallException>(() => rest.GetTenantAsync(account.TenantName, account.Key));
            var overGrpc = await Assert.ThrowsAsync<ApiCallException>(() =>
                fixture.Server.Api(Protocol.Grpc).GetTenantAsync(account.TenantName, account.Key));

            foreach (var failure in new[] { overRest, overGrpc })
            {
                Assert.Equal(StatusCode.Internal, failure.Code);
                Assert.Equal("INTERNAL", failure.Info?.Reason);
                Assert.Matches("^Internal error. Quote request id [0-9a-f]{32} when reporting it.$", failure.Status!.Message);
                Assert.DoesNotContain("Npgsql", failure.Status.ToString());
                Assert.DoesNotContain(" at ", failure.Status.ToString());
            }
            Assert.Equal(500, overRest.HttpStatus);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
