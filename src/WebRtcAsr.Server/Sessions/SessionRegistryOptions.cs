namespace WebRtcAsr.Server.Sessions;

/// <summary>The registry's limits and timeouts (from ServerOptions).</summary>
public sealed record SessionRegistryOptions
{
    public int MaxSessions { get; init; } = 200;

    public int MaxSessionsPerKey { get; init; } = 50;

    public double NewSessionsPerSecond { get; init; } = 20;

    public int NewSessionBurst { get; init; } = 40;

    /// <summary>How long a session without a sink waits for its client to (re)connect.</summary>
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(30);

    public SessionLimits Session { get; init; } = new();

    public SessionSettings DefaultSettings { get; init; } = new();
}
