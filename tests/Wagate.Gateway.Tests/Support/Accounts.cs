using Wagate.Contracts.Identity.V1;

namespace Wagate.Gateway.Tests.Support;

/// <summary>A registered account, with both kinds of credential.</summary>
public sealed record Account(RegisterResponse Registration, string Password)
{
    public string TenantName => Registration.Tenant.Name;
    public Credential Token => Credential.Token(Registration.AccessToken);
    public Credential Key => Credential.Key(Registration.ApiKey.Key);
    public string Email => Registration.User.Email;

    private static int _counter;

    public static RegisterRequest NewRequest(string? email = null) => new()
    {
        Email = email ?? $"user{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}@example.com",
        Password = "Str0ng-enough-pw",
        DisplayName = "Test User",
        TenantDisplayName = "Test Tenant",
    };

    public static async Task<Account> RegisterAsync(IWagateApi api, string? email = null)
    {
        var request = NewRequest(email);
        return new Account(await api.RegisterAsync(request), request.Password);
    }

    public static async Task<Credential> AdminAsync(IWagateApi api) =>
        Credential.Token((await api.LoginAsync(new LoginRequest { Email = TestServer.AdminEmail, Password = TestServer.AdminPassword })).AccessToken);
}
