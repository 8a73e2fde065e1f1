using Google.Rpc;
using Grpc.Core;
using Wagate.Contracts.Identity.V1;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests;

public sealed class LoginTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        var api = Server.Api(Protocol.Rest);
        var account = await Account.RegisterAsync(api);

        var wrongPassword = await Assert.ThrowsAsync<ApiCallException>(() =>
            api.LoginAsync(new LoginRequest { Email = account.Email, Password = "Wrong-passw0rd" }));
        var unknownEmail = await Assert.ThrowsAsync<ApiCallException>(() =>
            api.LoginAsync(new LoginRequest { Email = "nobody-" + account.Email, Password = "Wrong-passw0rd" }));

        Assert.Equal(401, wrongPassword.HttpStatus);
        Assert.Equal(wrongPassword.Status, unknownEmail.Status);
    }

    [Fact]
    public async Task Repeated_failed_logins_lock_the_account_with_a_retry_delay()
    {
        var api = Server.Api(Protocol.Grpc);
        var account = await Account.RegisterAsync(api);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var failed = await Assert.ThrowsAsync<ApiCallException>(() =>
                api.LoginAsync(new LoginRequest { Email = account.Email, Password = "Wrong-passw0rd" + attempt }));
            Assert.Equal(StatusCode.Unauthenticated, failed.Code);
        }

        // Even the right password is refused while the account is throttled.
        var throttled = await Assert.ThrowsAsync<ApiCallException>(() =>
            api.LoginAsync(new LoginRequest { Email = account.Email, Password = account.Password }));

        Assert.Equal(StatusCode.ResourceExhausted, throttled.Code);
        Assert.Equal("LOGIN_THROTTLED", throttled.Info?.Reason);
        var retry = throttled.Detail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        // Other accounts are not affected by this account's lock.
        var other = await Account.RegisterAsync(api);
        await api.LoginAsync(new LoginRequest { Email = other.Email, Password = other.Password });
    }

    [Fact]
    public async Task An_api_key_cannot_read_users_me_or_manage_keys()
    {
        var api = Server.Api(Protocol.Rest);
        var account = await Account.RegisterAsync(api);

        var me = await Assert.ThrowsAsync<ApiCallException>(() => api.GetCurrentUserAsync(account.Key));
        var mint = await Assert.ThrowsAsync<ApiCallException>(() => api.CreateApiKeyAsync(account.TenantName,
            new Contracts.Tenant.V1.ApiKey { DisplayName = "minted", Scopes = { "sessions.read" } }, account.Key));

        Assert.Equal(403, me.HttpStatus);
        Assert.Equal(403, mint.HttpStatus);
    }
}
