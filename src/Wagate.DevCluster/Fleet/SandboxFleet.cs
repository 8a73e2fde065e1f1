using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;

namespace Wagate.DevCluster.Fleet;

/// <summary>Many sandbox sessions of one tenant on a running cluster, linked through the public
/// API as a customer would (create a phone, create a session, scan its QR code), for the failover
/// tests and benchmark. The tenant's plan is raised in PostgreSQL: no API sets plans yet.</summary>
public sealed class SandboxFleet : IDisposable
{
    private const int Parallelism = 16;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly GrpcChannel _gateway;
    private readonly GrpcChannel _sandbox;
    private readonly Metadata _asTenant;
    private readonly SessionService.SessionServiceClient _sessions;
    private int _linked;
    private readonly SandboxService.SandboxServiceClient _phones;

    private SandboxFleet(GrpcChannel gateway, GrpcChannel sandbox, string tenant, string apiKey)
    {
        _gateway = gateway;
        _sandbox = sandbox;
        Tenant = tenant;
        _asTenant = new Metadata { { "x-api-key", apiKey } };
        _sessions = new SessionService.SessionServiceClient(gateway);
        _phones = new SandboxService.SandboxServiceClient(gateway);
    }

    /// <summary><c>tenants/{tenant}</c>.</summary>
    public string Tenant { get; }

    /// <summary>The gateway the fleet talks to, for calls of other services.</summary>
    public GrpcChannel Gateway => _gateway;

    /// <summary>The tenant's API key header, with every scope.</summary>
    public Metadata Credentials => _asTenant;

    /// <summary>Registers a tenant on the enterprise plan.</summary>
    /// <param name="gatewayGrpc">A gateway's gRPC (h2c) address.</param>
    /// <param name="postgres">The cluster's PostgreSQL, to raise the tenant's plan.</param>
    /// <param name="sandbox">The sandbox network's address, for its device statistics.</param>
    public static async Task<SandboxFleet> CreateAsync(Uri gatewayGrpc, string postgres, Uri sandbox, CancellationToken cancellationToken = default)
    {
        var gateway = GrpcChannel.ForAddress(gatewayGrpc);
        var registered = await new IdentityService.IdentityServiceClient(gateway).RegisterAsync(new RegisterRequest
        {
            Email = $"fleet-{Guid.NewGuid():N}@wagate.test",
            Password = "Fleet-" + Guid.NewGuid().ToString("N"),
            DisplayName = "Fleet",
            TenantDisplayName = "Fleet",
        }, cancellationToken: cancellationToken);
        await using (var database = new NpgsqlConnection(postgres))
        {
            await database.OpenAsync(cancellationToken);
            await using var raise = new NpgsqlCommand("""UPDATE tenants SET "Plan" = @plan WHERE "Id" = @id""", database);
            raise.Parameters.AddWithValue("plan", (int)Contracts.Tenant.V1.Plan.Enterprise);
            raise.Parameters.AddWithValue("id", registered.Tenant.Name["tenants/".Length..]);
            await raise.ExecuteNonQueryAsync(cancellationToken);
        }
        return new SandboxFleet(gateway, GrpcChannel.ForAddress(sandbox), registered.Tenant.Name, registered.ApiKey.Key);
    }

    /// <summary>The phone number of the fleet's <paramref name="index"/>th session.</summary>
    public static string PhoneOf(int index) => "+1556" + index.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The phone number that linked the fleet's session <paramref name="sessionName"/>.</summary>
    public static string PhoneOf(string sessionName) =>
        PhoneOf(int.Parse(sessionName[(sessionName.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Creates <paramref name="count"/> more sessions, each with a phone of its own that
    /// scans its QR code, and waits until every one is CONNECTED. Returns their names.</summary>
    /// <exception cref="OperationCanceledException">Not done within <paramref name="patience"/>.</exception>
    public async Task<IReadOnlyList<string>> LinkAsync(int count, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        var first = Interlocked.Add(ref _linked, count) - count;
        var names = new ConcurrentBag<string>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = deadline.Token },
                async (index, cancelled) => names.Add(await LinkOneAsync(index, cancelled)));
            var linked = names.ToHashSet(StringComparer.Ordinal);
            await WaitAsync(sessions => sessions.Count(s => linked.Contains(s.Name) && s.State == Session.Types.State.Connected) == count, deadline.Token);
            return [.. linked.Order(StringComparer.Ordinal)];
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{names.Count} of {count} sessions scanned within {patience}; " + await DescribeAsync(cancellationToken));
        }
    }

    /// <summary>How many of the fleet's sessions are in each state and why, with a few names of
    /// each: what a failed wait reports, so that a run that timed out says what it waited for.</summary>
    public async Task<string> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var sessions = await ListAsync(cancellationToken);
        return string.Join("; ", sessions
            .GroupBy(s => (s.State, Reason: s.LastError?.Reason ?? ""))
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} {g.Key.State}{(g.Key.Reason.Length > 0 ? " (" + g.Key.Reason + ")" : "")}: " +
                string.Join(", ", g.Take(3).Select(s => $"{s.Name} on {s.Worker} '{s.LastError?.Message}'"))));
    }

    private async Task<string> LinkOneAsync(int index, CancellationToken cancellationToken)
    {
        var phone = PhoneOf(index);
        await _phones.CreateSandboxPhoneAsync(new CreateSandboxPhoneRequest { Parent = Tenant, SandboxPhone = new SandboxPhone { PhoneNumber = phone } },
            _asTenant, cancellationToken: cancellationToken);
        var session = (await _sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Parent = Tenant,
            SessionId = "fleet-" + index.ToString("D5", CultureInfo.InvariantCulture),
            Session = new Session { DisplayName = "Fleet " + index, Engine = Engine.Sandbox },
        }, _asTenant, cancellationToken: cancellationToken)).Session;
        while (true)
        {
            try
            {
                var qr = (await _sessions.GetSessionQrCodeAsync(new GetSessionQrCodeRequest { Name = session.Name }, _asTenant,
                    cancellationToken: cancellationToken)).QrCode;
                await _phones.ScanAsync(new ScanRequest { Tenant = Tenant, Code = qr.Code, PhoneNumber = phone }, _asTenant, cancellationToken: cancellationToken);
                return session.Name;
            }
            catch (RpcException waiting) when (waiting.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.NotFound)
            {
                // Not placed or not showing a QR code yet; or the code read rotated before the phone
                // scanned it (NotFound from the scan), as a person would then scan the next one.
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    /// <summary>Every session of the fleet's tenant, as the gateway shows them.</summary>
    public async Task<IReadOnlyList<Session>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<Session>();
        var page = "";
        do
        {
            var response = await _sessions.ListSessionsAsync(new ListSessionsRequest { Parent = Tenant, PageSize = 1000, PageToken = page },
                _asTenant, cancellationToken: cancellationToken);
            all.AddRange(response.Sessions);
            page = response.NextPageToken;
        }
        while (page.Length > 0);
        return all;
    }

    /// <summary>Polls the sessions until <paramref name="done"/> holds for them; returns them.</summary>
    public async Task<IReadOnlyList<Session>> WaitAsync(Func<IReadOnlyList<Session>, bool> done, CancellationToken cancellationToken)
    {
        while (true)
        {
            var sessions = await ListAsync(cancellationToken);
            if (done(sessions))
            {
                return sessions;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>What the sandbox network saw of each of the tenant's devices: how often it
    /// connected, and how often a connection was replaced by another (reconnect ping-pong).</summary>
    public async Task<IReadOnlyList<DeviceStats>> DevicesAsync(CancellationToken cancellationToken = default) =>
        (await new SandboxNetworkService.SandboxNetworkServiceClient(_sandbox)
            .ListDevicesAsync(new ListDevicesRequest { Tenant = Tenant }, cancellationToken: cancellationToken)).Devices;

    public void Dispose()
    {
        _gateway.Dispose();
        _sandbox.Dispose();
    }
}
