using System.Net;
using System.Text.Json;
using Grpc.Core;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Tenant.V1;
using Wagate.Gateway.Tests.Support;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>Bad input gets 400 / INVALID_ARGUMENT naming the field, never a 500; wrong
/// credentials get 401; a taken email gets 409.</summary>
public sealed class BadInputTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private TestServer Server => fixture.Server;
    private RestApi Rest => (RestApi)Server.Api(Protocol.Rest);

    public static readonly TheoryData<string, string> InvalidRegistrations = new()
    {
        { """{"password":"Str0ng-enough-pw","displayName":"A"}""", "email" },
        { """{"email":"not-an-email","password":"Str0ng-enough-pw","displayName":"A"}""", "email" },
        { """{"email":"a@b","password":"Str0ng-enough-pw","displayName":"A"}""", "email" },
        { """{"email":"a@example.com","password":"short1","displayName":"A"}""", "password" },
        { """{"email":"a@example.com","password":"onlyletterspassword","displayName":"A"}""", "password" },
        { """{"email":"a@example.com","password":"1234567890123","displayName":"A"}""", "password" },
        { """{"email":"a@example.com","displayName":"A"}""", "password" },
        { """{"email":"a@example.com","password":"Str0ng-enough-pw"}""", "displayName" },
        { $$"""{"email":"a@example.com","password":"Str0ng-enough-pw","displayName":"{{new string('x', 101)}}"}""", "displayName" },
        { $$"""{"email":"{{new string('x', 250)}}@example.com","password":"Str0ng-enough-pw","displayName":"A"}""", "email" },
        { """{"email":"a@example.com","password":"Str0ng-enough-pw","displayName":"A","emial":"typo"}""", "emial" },
        { """{"email":5,"password":"Str0ng-enough-pw","displayName":"A"}""", "email" },
        { """{"email":"a@example.com","password":"Str0ng-enough-pw","displayName":"A","tenantDisplayName":["x"]}""", "tenantDisplayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task A_bad_registration_over_rest_is_a_400_naming_the_field(string body, string field)
    {
        var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, "/v1/auth:register", body);

        Assert.Equal(400, status);
        var error = Parse(text);
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Contains(Violations(error), v => v == field);
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
    }

    [Fact]
    public async Task A_bare_post_is_an_empty_request_validated_like_any_other()
    {
        // curl -X POST with no body and no Content-Type, as operators type ":drain" calls.
        using var response = await Server.Http.PostAsync("/v1/auth:login", content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
        Assert.Contains(Violations(error), v => v == "email");
    }

    [Theory]
    [InlineData("{\"email\":")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"email\":\"a@example.com\",}")]
    public async Task Malformed_json_is_a_400_with_error_details(string body)
    {
        var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, "/v1/auth:register", body);

        Assert.Equal(400, status);
        var error = Parse(text);
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
        Assert.Contains("JSON", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bad_registration_over_grpc_names_every_field()
    {
        var api = Server.Api(Protocol.Grpc);

        var refused = await Assert.ThrowsAsync<ApiCallException>(() =>
            api.RegisterAsync(new RegisterRequest { Email = "nope", Password = "weak", DisplayName = "" }));

        Assert.Equal(StatusCode.InvalidArgument, refused.Code);
        Assert.Equal("INVALID_ARGUMENT", refused.Info?.Reason);
        Assert.Equal("wagate.dev", refused.Info?.Domain);
        Assert.Equal(["email", "displayName", "password"], refused.ViolatedFields);
    }

    [Fact]
    public async Task A_registration_with_a_taken_email_is_409_and_already_exists()
    {
        var first = await Account.RegisterAsync(Server.Api(Protocol.Grpc));

        var overGrpc = await Assert.ThrowsAsync<ApiCallException>(() =>
            Server.Api(Protocol.Grpc).RegisterAsync(Account.NewRequest(first.Email)));
        var overRest = await Assert.ThrowsAsync<ApiCallException>(() =>
            Server.Api(Protocol.Rest).RegisterAsync(Account.NewRequest(first.Email.ToUpperInvariant())));

        Assert.Equal(StatusCode.AlreadyExists, overGrpc.Code);
        Assert.Equal(StatusCode.AlreadyExists, overRest.Code);
        Assert.Equal(409, overRest.HttpStatus);
        Assert.Equal("EMAIL_TAKEN", overRest.Info?.Reason);
    }

    [Theory]
    [InlineData(Protocol.Grpc)]
    [InlineData(Protocol.Rest)]
    public async Task Unknown_revoked_or_missing_credentials_are_401(Protocol protocol)
    {
        var api = Server.Api(protocol);
        var account = await Account.RegisterAsync(api);
        await api.DeleteApiKeyAsync(account.Registration.ApiKey.Name, account.Token);

        Credential[] wrong =
        [
            Credential.None,
            account.Key, // revoked just above
            Credential.Key("wg_0000000000_00000000000000000000000000000000"),
            Credential.Key("garbage"),
            Credential.Token("not.a.token"),
            Credential.Token(account.Registration.AccessToken[..^2] + "xx"), // signature tampered
        ];
        foreach (var credential in wrong)
        {
            var refused = await Assert.ThrowsAsync<ApiCallException>(() => api.GetTenantAsync(account.TenantName, credential));
            Assert.Equal(StatusCode.Unauthenticated, refused.Code);
            if (protocol == Protocol.Rest)
            {
                Assert.Equal(401, refused.HttpStatus);
            }
        }
    }

    [Fact]
    public async Task Invalid_api_key_requests_name_the_fields()
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Rest));

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => Server.Api(Protocol.Rest).CreateApiKeyAsync(
            account.TenantName, new ApiKey { DisplayName = "", Scopes = { "sessions.read", "everything" } }, account.Token));

        Assert.Equal(400, refused.HttpStatus);
        Assert.Equal(["apiKey.displayName", "apiKey.scopes[1]"], refused.ViolatedFields);
    }

    [Theory]
    [InlineData("/v1/tenants/UPPER")]
    [InlineData("/v1/tenants/tn%2F..%2Fx")]
    public async Task A_malformed_resource_name_is_400_not_500(string path)
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Rest));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", account.Registration.ApiKey.Key);

        using var response = await Server.Http.SendAsync(request);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"got {response.StatusCode}");
    }

    [Fact]
    public async Task An_invalid_page_token_is_400_naming_it()
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Grpc));

        var refused = await Assert.ThrowsAsync<ApiCallException>(() => Server.Api(Protocol.Rest).ListApiKeysAsync(
            new ListApiKeysRequest { Parent = account.TenantName, PageToken = "forged" }, account.Token));

        Assert.Equal(400, refused.HttpStatus);
        Assert.Equal(["pageToken"], refused.ViolatedFields);
    }

    [Theory]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("pageSise=5", "pageSise")]
    [InlineData("pageSize=99999999999", "pageSize")]
    public async Task A_bad_query_parameter_is_a_400_naming_it(string query, string field)
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Rest));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/{account.TenantName}/apiKeys?{query}");
        request.Headers.Add("authorization", "Bearer " + account.Registration.AccessToken);

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal([field], Violations(error));
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
    }

    [Theory]
    [InlineData("""{"to":"+15550001111"}""", "text")]
    [InlineData("""{"to":"+15550001111","text":"hi","replyTo":"not an id!"}""", "replyTo")]
    [InlineData("""{"to":"+15550001111","text":"hi","reaction":{"messageId":"SB1","emoji":"👍"}}""", "text")]
    [InlineData("""{"to":"+15550001111","replyTo":"SB1","reaction":{"messageId":"SB1","emoji":"👍"}}""", "replyTo")]
    [InlineData("""{"to":"+15550001111","reaction":{"emoji":"👍"}}""", "reaction.messageId")]
    [InlineData("""{"to":"+15550001111","reaction":{"messageId":"SB1","emoji":"a b"}}""", "reaction.emoji")]
    public async Task A_bad_sandbox_phone_message_is_a_400_naming_the_field(string body, string field)
    {
        var account = await Account.RegisterAsync(Server.Api(Protocol.Rest));

        var (status, text) = await Rest.SendRawAsync(HttpMethod.Post, $"/v1/{account.TenantName}/sandboxPhones/15550002222:sendMessage", body,
            Credential.Token(account.Registration.AccessToken));

        Assert.Equal(400, status);
        var error = Parse(text);
        Assert.Equal([field], Violations(error));
        Assert.Equal("INVALID_ARGUMENT", Reason(error));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400()
    {
        using var content = new StringContent("email=a@example.com", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await Server.Http.PostAsync("/v1/auth:register", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", Reason(Parse(await response.Content.ReadAsStringAsync())));
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_404_with_the_error_body()
    {
        using var response = await Server.Http.GetAsync("/v1/no/such/thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UNKNOWN_PATH", Reason(Parse(await response.Content.ReadAsStringAsync())));
    }

    private static JsonElement Parse(string text) => JsonDocument.Parse(text).RootElement;

    private static IEnumerable<string?> Violations(JsonElement error) => error.GetProperty("details").EnumerateArray()
        .Where(d => d.GetProperty("@type").GetString()!.EndsWith("BadRequest", StringComparison.Ordinal))
        .SelectMany(d => d.GetProperty("fieldViolations").EnumerateArray())
        .Select(v => v.TryGetProperty("field", out var f) ? f.GetString() : "");

    private static string? Reason(JsonElement error) => error.GetProperty("details").EnumerateArray()
        .Single(d => d.GetProperty("@type").GetString()!.EndsWith("ErrorInfo", StringComparison.Ordinal))
        .GetProperty("reason").GetString();
}
