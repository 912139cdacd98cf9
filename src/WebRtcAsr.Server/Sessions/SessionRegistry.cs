using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// Every open <see cref="CaptionSession"/>: admits new ones within the limits (total, per API key, rate of new
/// sessions), finds them by id for reconnects, ends those left without a client past the reconnect grace or idle
/// (<see cref="Sweep"/>, called about once a second), and at shutdown ends them all, bounded by a deadline.
/// A session leaves the registry when it has ended.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, CaptionSession> sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> perKey = new(StringComparer.Ordinal);
    private readonly object admission = new();
    private readonly SessionServices services;
    private readonly SessionRegistryOptions options;
    private readonly TokenBucket bucket;
    private readonly ILogger logger;
    private int open;
    private bool shuttingDown;

    public SessionRegistry(SessionServices services, SessionRegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        this.services = services;
        this.options = options;
        bucket = new TokenBucket(options.NewSessionsPerSecond, options.NewSessionBurst, services.Time.GetTimestamp(), services.Time.TimestampFrequency);
        logger = services.LoggerFactory.CreateLogger<SessionRegistry>();
        services.Metrics.ObserveSessionQueues(() => sessions.Values.Sum(s => s.QueuedInputs));
    }

    /// <summary>Sessions open now (including those ending).</summary>
    public int Count => sessions.Count;

    public IReadOnlyCollection<CaptionSession> Sessions => [.. sessions.Values];

    /// <summary>
    /// Opens a session for <paramref name="keyId"/> (null: unauthenticated), whose key may hold at most
    /// <paramref name="keyLimit"/> sessions (null: the default per-key limit). Returns null and the reason when refused.
    /// </summary>
    public CaptionSession? TryCreate(string? keyId, int? keyLimit, out SessionRefusal refusal, SessionSettings? settings = null)
    {
        var accountKey = keyId ?? "";
        lock (admission)
        {
            refusal = shuttingDown ? SessionRefusal.ShuttingDown
                : open >= options.MaxSessions ? SessionRefusal.ServerFull
                : perKey.GetValueOrDefault(accountKey) >= (keyLimit ?? options.MaxSessionsPerKey) ? SessionRefusal.KeyLimit
                : !bucket.TryTake(services.Time.GetTimestamp()) ? SessionRefusal.RateLimited
                : SessionRefusal.None;
            if (refusal != SessionRefusal.None)
            {
                services.Metrics.SessionsRefused.Add(refusal.ToString());
                logger.LogWarning("Session refused for key {KeyId}: {Refusal}", keyId ?? "-", refusal);
                return null;
            }

            open++;
            perKey[accountKey] = perKey.GetValueOrDefault(accountKey) + 1;
        }

        var session = new CaptionSession(Guid.NewGuid().ToString("D"), keyId, services, options.Session, settings ?? options.DefaultSettings);
        sessions[session.Id] = session;
        services.Metrics.SessionsTotal.Add();
        services.Metrics.SessionsActive.Increment();
        _ = session.Completion.ContinueWith(_ => Remove(session, accountKey), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return session;
    }

    /// <summary>The open session with this id, or null (unknown or ended).</summary>
    public CaptionSession? Find(string sessionId) =>
        sessionId is not null && sessions.TryGetValue(sessionId, out var s) && !s.IsEnded ? s : null;

    /// <summary>
    /// The open session with this id when it belongs to <paramref name="keyId"/> (the same API key, or both
    /// unauthenticated): what a reconnect presenting a session id must pass, so one key cannot take over another's session.
    /// </summary>
    public CaptionSession? FindForKey(string sessionId, string? keyId) =>
        Find(sessionId) is { } s && string.Equals(s.KeyId, keyId, StringComparison.Ordinal) ? s : null;

    /// <summary>
    /// Checks every session: ticks it (idle timeout) and ends it when it has had no sink for longer than the
    /// reconnect grace.
    /// </summary>
    public void Sweep()
    {
        var now = services.Time.GetTimestamp();
        foreach (var session in sessions.Values)
        {
            if (session.IsEnded)
            {
                continue;
            }

            if (session.UnattachedSince is { } since && services.Time.GetElapsedTime(since, now) > options.ReconnectGrace)
            {
                _ = session.CloseAsync(SessionEndReason.ReconnectTimeout);
                continue;
            }

            session.TryTick();
        }
    }

    /// <summary>
    /// Refuses new sessions, ends every open one (each flushes its last words and sends Metadata to its sink),
    /// and waits for them up to <paramref name="deadline"/>; then stops waiting for their decodes.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        lock (admission)
        {
            shuttingDown = true;
        }

        var all = sessions.Values.ToArray();
        if (all.Length == 0)
        {
            return;
        }

        logger.LogInformation("Shutting down: ending {Count} sessions", all.Length);
        var closing = Task.WhenAll(all.Select(s => s.CloseAsync(SessionEndReason.Shutdown)));
        try
        {
            await closing.WaitAsync(deadline, services.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            logger.LogWarning("Shutdown deadline passed; {Count} sessions stop without waiting for their last decodes", sessions.Count);
            foreach (var s in all)
            {
                s.Abort();
            }

            await closing.WaitAsync(TimeSpan.FromSeconds(2), services.Time, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Remove(CaptionSession session, string accountKey)
    {
        sessions.TryRemove(session.Id, out _);
        lock (admission)
        {
            open--;
            var left = perKey.GetValueOrDefault(accountKey) - 1;
            if (left <= 0)
            {
                perKey.Remove(accountKey);
            }
            else
            {
                perKey[accountKey] = left;
            }
        }

        services.Metrics.SessionsActive.Decrement();
    }
}
