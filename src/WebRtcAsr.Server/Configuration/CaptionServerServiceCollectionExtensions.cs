using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Health;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Configuration;

/// <summary>The composition of the transport-independent server core.</summary>
public static class CaptionServerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options (validated at start: a bad value stops the start with one message), the speech engine
    /// (model, recognizer, scheduler, VAD; loaded and warmed up at start), the session registry with its sweep and
    /// graceful shutdown, the archive, metrics, readiness and authentication.
    /// </summary>
    public static IServiceCollection AddCaptionServer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddServerOptions(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton(sp =>
        {
            var readiness = new ReadinessRegistry();
            readiness.Declare(ReadinessComponents.Model);
            readiness.Declare(ReadinessComponents.Recognizer);
            return readiness;
        });
        services.TryAddSingleton(sp => SpeechEngine.Load(
            sp.GetRequiredService<IOptions<ServerOptions>>().Value,
            sp.GetRequiredService<ReadinessRegistry>(),
            sp.GetRequiredService<ServerMetrics>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<ITranscriptArchive>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServerOptions>>().Value.Archive;
            return o.Enabled
                ? new JsonlTranscriptArchive(o.Folder, o.QueueCapacity, sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ILogger<JsonlTranscriptArchive>>())
                : new DiscardingArchive();
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            var engine = sp.GetRequiredService<SpeechEngine>();
            var shared = new SessionServices(
                engine.Recognizer,
                engine.Scheduler,
                engine.Gates,
                engine.Model,
                sp.GetRequiredService<ServerMetrics>(),
                sp.GetRequiredService<ITranscriptArchive>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>());
            return new SessionRegistry(shared, RegistryOptions(o));
        });
        services.TryAddSingleton(sp => new ApiKeyStore(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Auth.Keys));
        services.TryAddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<ServerOptions>>().Value.Auth;
            // Without keys no token is ever issued; a random secret keeps the validator well defined.
            var secret = auth.SigningSecret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            return new AccessTokenService(secret, TimeSpan.FromSeconds(auth.TokenLifetimeSeconds), sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<ClientAuthenticator>();
        services.AddHostedService<CaptionServerLifetime>();
        services.AddHostedService<SessionSweeper>();
        return services;
    }

    /// <summary>The registry's view of the options.</summary>
    public static SessionRegistryOptions RegistryOptions(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var l = options.Limits;
        return new SessionRegistryOptions
        {
            MaxSessions = l.MaxSessions,
            MaxSessionsPerKey = l.MaxSessionsPerKey,
            NewSessionsPerSecond = l.NewSessionsPerSecond,
            NewSessionBurst = l.NewSessionBurst,
            ReconnectGrace = TimeSpan.FromSeconds(options.Timeouts.ReconnectGraceSeconds),
            DefaultSettings = new SessionSettings { EndpointingMs = options.DefaultEndpointingMs },
            Session = new SessionLimits
            {
                InputQueue = l.SessionInputQueue,
                OutboxCapacity = l.OutboxCapacity,
                ReplayCapacity = l.ReplayCapacity,
                IdleTimeout = TimeSpan.FromSeconds(options.Timeouts.IdleSeconds),
            },
        };
    }
}
