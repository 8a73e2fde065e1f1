using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Wagate.Gateway.Tests.Support;
using Wagate.Testing;
using Xunit;

namespace Wagate.Gateway.Tests;

/// <summary>What operators and tooling rely on: health, readiness, metrics, reflection, the
/// OpenAPI document, request ids.</summary>
public sealed class OperationsTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Liveness_and_readiness_answer_healthy()
    {
        Assert.Equal("Healthy", await Server.Http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await Server.Http.GetStringAsync("/readyz"));
        var health = await new Health.HealthClient(Server.Grpc).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Reflection_lists_the_public_services()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Server.Grpc);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("wagate.identity.v1.IdentityService", services);
        Assert.Contains("wagate.tenant.v1.TenantService", services);
    }

    [Fact]
    public async Task The_openapi_document_has_the_api_paths_and_the_proto_comments()
    {
        using var document = JsonDocument.Parse(await Server.Http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var path in new[]
        {
            "/v1/auth:register", "/v1/auth:login", "/v1/users/me", "/v1/tenants", "/v1/tenants/{tenant}",
            "/v1/tenants/{tenant}:suspend", "/v1/tenants/{tenant}:resume", "/v1/tenants/{tenant}/usage",
            "/v1/tenants/{tenant}/apiKeys", "/v1/tenants/{tenant}/apiKeys/{apiKey}",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }
        var register = paths.GetProperty("/v1/auth:register").GetProperty("post").GetProperty("summary").GetString();
        Assert.Contains("Creates a user, a tenant", register);
    }

    [Fact]
    public async Task Metrics_are_exposed_for_prometheus()
    {
        await Server.Http.GetStringAsync("/healthz");

        var metrics = await Server.Http.GetStringAsync("/metrics");

        Assert.Contains("http_request_duration_seconds", metrics);
        Assert.Contains("process_cpu_seconds_total", metrics);
    }

    [Fact]
    public async Task Promtool_finds_nothing_to_warn_about_in_the_metrics()
    {
        // Calls over REST, gRPC-Web and gRPC first, so the HTTP metrics have series to show.
        await Server.Http.GetStringAsync("/healthz");
        using var unknownPath = await Server.Http.GetAsync("/v1/no-such-path");
        await new Health.HealthClient(Server.GrpcWeb).CheckAsync(new HealthCheckRequest());
        await new Health.HealthClient(Server.Grpc).CheckAsync(new HealthCheckRequest());
        var metrics = await Server.Http.GetStringAsync("/metrics");
        // The lint itself must work, or a pass below would prove nothing.
        var misnamed = await Promtool.CheckMetricsAsync("# HELP wagate_misnamed_count A gauge named like a histogram part.\n"
            + "# TYPE wagate_misnamed_count gauge\nwagate_misnamed_count 1\n");

        var check = await Promtool.CheckMetricsAsync(metrics);

        Assert.NotEqual(0, misnamed.ExitCode);
        Assert.Equal((0, ""), (check.ExitCode, check.Output.Trim()));
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_keeps_a_sane_one_from_the_client()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        request.Headers.Add("x-request-id", "client-chosen-42");
        using var echoed = await Server.Http.SendAsync(request);
        using var generated = await Server.Http.GetAsync("/healthz");

        Assert.Equal("client-chosen-42", echoed.Headers.GetValues("x-request-id").Single());
        Assert.Matches("^[0-9a-f]{32}$", generated.Headers.GetValues("x-request-id").Single());
    }
}
