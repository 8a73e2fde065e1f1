using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.OpenApi.Models;
using Npgsql;
using Prometheus;
using Wagate.Cluster;
using Wagate.Contracts.Admin.V1;
using Wagate.Contracts.Identity.V1;
using Wagate.Contracts.Message.V1;
using Wagate.Contracts.Sandbox.V1;
using Wagate.Contracts.Session.V1;
using Wagate.Contracts.Tenant.V1;
using Wagate.Contracts.Webhook.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data;
using Wagate.Data.Accounts;
using Wagate.Data.Events;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Data.Tenants;
using Wagate.Data.Webhooks;
using Wagate.Gateway.Admin;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Http;
using Wagate.Gateway.Identity;
using Wagate.Gateway.Interceptors;
using Wagate.Gateway.Messaging;
using Wagate.Gateway.Sandbox;
using Wagate.Gateway.Security;
using Wagate.Gateway.Sessions;
using Wagate.Gateway.Tenancy;
using Wagate.Gateway.Validation;
using Wagate.Gateway.Webhooks;
using Wagate.Sandbox;
using Wagate.Sandbox.Grpc;
using Wagate.ServiceDefaults;
using Wagate.Settings;
using Wagate.Storage;

namespace Wagate.Gateway.Hosting;

/// <summary>Where a gateway keeps its data and who runs its sessions; the host that composes it
/// decides (PostgreSQL and a configured key for clusters, a SQLite file, key files and
/// in-process workers for a single node). <paramref name="Sessions"/> is built once the
/// gateway's services exist, since workers report to them. <paramref name="WebhookKey"/> seals
/// webhook signing secrets in the database; every replica needs the same one. <paramref name="Media"/>
/// keeps media sent inline until a worker sends it: the workers' store, under their state key.</summary>
public sealed record GatewayBackends(
    DatabaseOptions Database,
    byte[] TokenSigningKey,
    Func<IServiceProvider, SessionPlatform>? Sessions = null,
    ClusterOptions? Cluster = null,
    byte[]? WebhookKey = null,
    MediaStore? Media = null);

/// <summary>Builds and runs the gateway: one public API served as gRPC (h2c port), and as REST
/// (JSON transcoding) and gRPC-Web on the HTTP/1.1 port, because cleartext Kestrel cannot
/// offer HTTP/1.1 and HTTP/2 on one port.</summary>
public static class GatewayHost
{
    private const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <param name="args">The command line (settings as --NAME=value).</param>
    /// <param name="backends">Where its data and sessions live, from its configuration.</param>
    /// <param name="serviceName">What its logs, traces and metrics are labelled with.</param>
    public static WebApplication Build(string[] args, Func<IConfiguration, GatewayBackends> backends, string serviceName = "wagate-gateway")
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = GatewaySettings.From(builder.Configuration);
        var chosen = backends(builder.Configuration);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The largest request we accept, as for gRPC (MaxReceiveMessageSize below).
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Listen(settings.BindAddress, settings.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(settings.BindAddress, settings.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.AddServiceDefaults(serviceName, tracing => tracing.AddNpgsql());

        AddGatewayServices(builder.Services, settings, chosen);

        var app = builder.Build();
        app.UseRequestId();
        app.UseRouting();
        app.UseCors();
        app.UseHttpMetrics();
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.UseRestRequestValidation();
        app.UseSwagger(swagger => swagger.RouteTemplate = "openapi/{documentName}.json");

        app.MapGrpcService<IdentityGrpcService>();
        app.MapGrpcService<TenantGrpcService>();
        if (chosen.Sessions is not null || chosen.Cluster is not null)
        {
            app.MapGrpcService<SessionGrpcService>();
            app.MapGrpcService<MessageGrpcService>();
            app.MapGrpcService<WebhookGrpcService>();
            app.MapGrpcService<SandboxGrpcService>();
            app.MapGrpcService<AdminGrpcService>();
        }
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        app.MapServiceDefaults();
        app.MapDashboard();
        app.MapFallback("/v1/{**path}", RestErrors.UnknownPathAsync);
        return app;
    }

    /// <summary>Brings the database up to date and the administrator into being, before the
    /// host accepts its first request.</summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        // Hosting, not a use case: migrating is about the database itself, so it takes the
        // context; everything after it goes through the stores.
        var db = scope.ServiceProvider.GetRequiredService<WagateDbContext>();
        await db.MigrateAsync(cancellationToken);
        var settings = app.Services.GetRequiredService<GatewaySettings>();
        if (settings.AdminEmail is { } email && settings.AdminPassword is { } password)
        {
            await AdminBootstrap.EnsureAdminAsync(scope.ServiceProvider.GetRequiredService<AccountStore>(), scope.ServiceProvider.GetRequiredService<PasswordHasher>(),
                email, password, TimeProvider.System, app.Logger, cancellationToken);
        }
        if (scope.ServiceProvider.GetService<SessionDirectory>() is { } sessions)
        {
            var resumed = await sessions.ResumeAllAsync(cancellationToken);
            app.Logger.LogInformation("Resumed {Count} sessions", resumed);
        }
    }

    private static void AddGatewayServices(IServiceCollection services, GatewaySettings settings, GatewayBackends backends)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Telemetry.GatewayMetrics>();
        services.AddWagateData(backends.Database);

        services.AddSingleton(new PasswordHasher(settings.PasswordIterations));
        services.AddSingleton(sp => new AccessTokens(backends.TokenSigningKey, settings.TokenLifetime,
            sp.GetRequiredService<TimeProvider>(), settings.PreviousTokenSigningKey));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>(), LoginThrottle.Limits.Default));
        services.AddSingleton(new AccessPolicies(ServedServices(backends)));
        services.AddSingleton(new WebhookAddressPolicy(settings.WebhookAllowLoopback));
        if (backends.Sessions is { } sessions)
        {
            AddSessionServices(services, sessions);
        }
        else if (backends.Cluster is { } cluster)
        {
            AddClusterServices(services, cluster);
        }
        if (backends.Sessions is not null || backends.Cluster is not null)
        {
            AddMessagingServices(services,
                backends.WebhookKey ?? throw new InvalidSettingException("WAGATE_WEBHOOK_KEY", "is required where sessions are served: the key (base64, 32 bytes) every replica seals webhook secrets with"),
                backends.Media ?? throw new InvalidOperationException("A gateway that serves sessions needs the workers' media store (WAGATE_STATE_KEY and their blob store settings)."));
        }
        services.AddScoped<AccountStore>();
        services.AddScoped<TenantStore>();
        services.AddSingleton<CredentialCache>();
        services.AddScoped<CredentialResolver>();
        services.AddScoped<AccountService>();
        services.AddScoped<ApiKeyIssuer>();
        services.AddScoped<TenantDirectory>();
        AddValidators(services);

        services.AddGrpc(grpc =>
        {
            grpc.EnableDetailedErrors = false;
            grpc.MaxReceiveMessageSize = MaxRequestBytes;
            // Order matters: the first is the outermost.
            grpc.Interceptors.Add<CallLoggingInterceptor>();
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.Interceptors.Add<AccessInterceptor>();
            grpc.Interceptors.Add<ValidationInterceptor>();
        }).AddJsonTranscoding(transcoding => transcoding.TypeRegistry = ApiErrors.DetailTypes);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .AllowAnyOrigin()
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Grpc-Status", "Grpc-Message", "Grpc-Encoding", "Grpc-Accept-Encoding", RequestId.Header)));

        services.AddGrpcSwagger();
        services.AddSingleton<Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionProvider, TranscodedPathTemplates>();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Wagate API",
                Version = "v1",
                Description = "WhatsApp sessions and messages for many tenants, through one API.",
            });
            // Nested proto types (SandboxMessage.Types.Status) would otherwise clash with
            // google.rpc.Status: name them by their proto nesting instead.
            swagger.CustomSchemaIds(SchemaId);
            var contracts = Path.Combine(AppContext.BaseDirectory, "Wagate.Contracts.xml");
            swagger.IncludeXmlComments(contracts);
            swagger.IncludeGrpcXmlComments(contracts, includeControllerXmlComments: true);
            var apiKey = new OpenApiSecurityScheme
            {
                Name = CredentialResolver.ApiKeyHeader,
                In = ParameterLocation.Header,
                Type = SecuritySchemeType.ApiKey,
                Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "apiKey" },
            };
            swagger.AddSecurityDefinition("apiKey", apiKey);
            swagger.AddSecurityRequirement(new OpenApiSecurityRequirement { [apiKey] = [] });
        });
    }

    private static Google.Protobuf.Reflection.ServiceDescriptor[] ServedServices(GatewayBackends backends) =>
        backends.Sessions is not null || backends.Cluster is not null
            ? [IdentityService.Descriptor, TenantService.Descriptor, SessionService.Descriptor, MessageService.Descriptor, WebhookService.Descriptor,
                SandboxService.Descriptor, AdminService.Descriptor]
            : [IdentityService.Descriptor, TenantService.Descriptor];

    /// <summary>Sessions on cluster workers: declared in etcd, placed by the elected controller,
    /// reached over WorkerService.</summary>
    private static void AddClusterServices(IServiceCollection services, ClusterOptions cluster)
    {
        services.AddSingleton(cluster);
        services.AddSingleton<ICoordinator>(_ => new EtcdCoordinator(new EtcdCoordinatorOptions { Endpoint = cluster.Etcd, KeyPrefix = cluster.KeyPrefix }));
        services.AddSingleton<IWorkerConnections, GrpcWorkerConnections>();
        AddSessionRuntime(services, cluster.LeaseTtl);
        // The sandbox network is a process of its own: SandboxService reaches its phones there.
        services.AddSingleton<ISandboxPhones>(_ => GrpcSandboxPhones.Connect(cluster.SandboxAddress));
    }

    /// <summary>Messages, events and webhooks: the same on a single node and a cluster, since they
    /// live in the database; each replica also delivers webhooks.</summary>
    private static void AddMessagingServices(IServiceCollection services, byte[] webhookKey, MediaStore media)
    {
        services.AddSingleton(media);
        services.AddScoped<GatewayMessageStore>();
        services.AddScoped<EventLog>();
        services.AddScoped<EventFeed>();
        services.AddScoped<MessageDirectory>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<InFlightSends>();
        services.AddSingleton<OutboxNudges>();
        services.AddSingleton(provider => new OutboxGroupCommit(
            new WagateDbContextFactory(provider.GetRequiredService<DatabaseOptions>()), provider.GetRequiredService<ILogger<OutboxGroupCommit>>()));
        services.AddSingleton<DailySendCounts>();
        services.AddSingleton(new WebhookSecretCipher(webhookKey));
        services.AddScoped<WebhookStore>();
        services.AddSingleton(sp => WebhookRetrySchedule.Default with { FirstDelay = sp.GetRequiredService<GatewaySettings>().WebhookFirstRetry });
        services.AddSingleton(sp => new WebhookSender(sp.GetRequiredService<WebhookAddressPolicy>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<WebhookDispatcher>();
        services.AddHostedService<EventRetention>();
    }

    /// <summary>Sessions on the workers of this process: the single node is a cluster of one
    /// process, over the platform's own coordinator, with the same runtime as a cluster.</summary>
    private static void AddSessionServices(IServiceCollection services, Func<IServiceProvider, SessionPlatform> platform)
    {
        services.AddSingleton(platform);
        // Registered before the gateway's part, so it starts first and stops last: placement has
        // stopped before the workers leave, and moves none of their sessions on the way out.
        services.AddHostedService(sp => sp.GetRequiredService<SessionPlatform>());
        services.AddSingleton(sp => sp.GetRequiredService<SessionPlatform>().Coordinator);
        services.AddSingleton<IWorkerConnections>(sp => new InProcessWorkerConnections(sp.GetRequiredService<SessionPlatform>().Workers));
        AddSessionRuntime(services, SessionPlatform.LeaseTtl);
        services.AddSingleton(sp => sp.GetRequiredService<SessionPlatform>().Sandbox);
        services.AddSingleton<ISandboxPhones>(sp => new InProcessSandboxPhones(sp.GetRequiredService<SandboxNetwork>()));
    }

    /// <summary>What both modes run sessions with: the gateway's part in the cluster (watched
    /// caches and a candidate placement controller), session hosting over the coordinator, and
    /// worker administration through the controller.</summary>
    private static void AddSessionRuntime(IServiceCollection services, TimeSpan leaseTtl)
    {
        services.AddSingleton(new PlacementLease(leaseTtl));
        services.AddSingleton<ClusterGateway>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterGateway>());
        services.AddSingleton<ISessionHosting, ClusterSessionHosting>();
        services.AddScoped<GatewaySessionStore>();
        services.AddSingleton<SessionPlans>();
        services.AddScoped<SessionDirectory>();
        services.AddScoped<IWorkerAdministration, ClusterWorkerAdministration>();
    }

    private static string SchemaId(Type type) =>
        type.DeclaringType is { Name: "Types", DeclaringType: { } message } ? $"{SchemaId(message)}.{type.Name}" : type.Name;

    /// <summary>Registers every <see cref="IRequestValidator{TRequest}"/> of this assembly.</summary>
    private static void AddValidators(IServiceCollection services)
    {
        var validators = typeof(GatewayHost).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => t.GetInterfaces()
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestValidator<>))
                .Select(i => (Service: i, Implementation: t)));
        foreach (var (service, implementation) in validators)
        {
            services.AddSingleton(service, implementation);
        }
    }
}
