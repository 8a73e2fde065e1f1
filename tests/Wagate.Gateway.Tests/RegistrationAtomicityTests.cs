using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Wagate.Data;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>Registration is all or nothing, on both databases: racing registrations of one email
/// leave exactly one user, one tenant and one key, and the losers leave nothing behind.</summary>
public abstract class RegistrationAtomicityTests
{
    protected abstract TestServer Server { get; }

    protected abstract WagateDbContext OpenDatabase();

    [Fact]
    public async Task Concurrent_registrations_of_one_email_create_exactly_one_account()
    {
        var api = Server.Api(Protocol.Grpc);
        var email = $"race-{Guid.NewGuid():N}@example.com";
        await using var before = OpenDatabase();
        var tenantsBefore = await before.Tenants.CountAsync();
        var keysBefore = await before.ApiKeys.CountAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                await api.RegisterAsync(Account.NewRequest(email));
                return StatusCode.OK;
            }
            catch (ApiCallException refused)
            {
                return refused.Code;
            }
        }));

        Assert.Single(outcomes, code => code == StatusCode.OK);
        Assert.All(outcomes.Where(code => code != StatusCode.OK), code => Assert.Equal(StatusCode.AlreadyExists, code));
        await using var after = OpenDatabase();
        Assert.Equal(1, await after.Users.CountAsync(u => u.Email == email));
        Assert.Equal(tenantsBefore + 1, await after.Tenants.CountAsync());
        Assert.Equal(keysBefore + 1, await after.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task A_registration_refused_by_validation_writes_nothing()
    {
        await using var before = OpenDatabase();
        var tenantsBefore = await before.Tenants.CountAsync();
        var request = Account.NewRequest();
        request.TenantDisplayName = new string('x', 101);

        await Assert.ThrowsAsync<ApiCallException>(() => Server.Api(Protocol.Rest).RegisterAsync(request));

        await using var after = OpenDatabase();
        Assert.Equal(tenantsBefore, await after.Tenants.CountAsync());
        Assert.False(await after.Users.AnyAsync(u => u.Email == request.Email));
    }
}

public sealed class SqliteRegistrationAtomicityTests(SingleNodeFixture fixture)
    : RegistrationAtomicityTests, IClassFixture<SingleNodeFixture>
{
    protected override TestServer Server => fixture.Server;

    protected override WagateDbContext OpenDatabase() => fixture.Server.OpenDatabase();
}

public sealed class PostgresRegistrationAtomicityTests(PostgresFixture fixture)
    : RegistrationAtomicityTests, IClassFixture<PostgresFixture>
{
    protected override TestServer Server => fixture.Server;

    protected override WagateDbContext OpenDatabase() => fixture.Server.OpenDatabase();
}
