using System.Collections.Concurrent;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// The calls that are up now (bounded by the SIP call limit), found by Call-ID for watchers and listed by
/// GET /v1/calls; and who watches which call (bounded per connection).
/// </summary>
public sealed class CallDirectory
{
    /// <summary>Calls one SignalR connection may watch at once.</summary>
    public const int MaxWatchesPerConnection = 16;

    private readonly ConcurrentDictionary<string, ActiveCall> calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<string>> watches = new(StringComparer.Ordinal);

    public int Count => calls.Count;

    public bool TryAdd(ActiveCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return calls.TryAdd(call.CallId, call);
    }

    public ActiveCall? Find(string callId) => callId is not null && calls.TryGetValue(callId, out var call) ? call : null;

    public bool Remove(string callId) => calls.TryRemove(callId, out _);

    public IReadOnlyList<ActiveCall> Snapshot() => [.. calls.Values.OrderBy(c => c.Started)];

    /// <summary>Notes that <paramref name="connectionId"/> watches <paramref name="callId"/>; false at the per-connection limit.</summary>
    public bool TryWatch(string connectionId, string callId)
    {
        var set = watches.GetOrAdd(connectionId, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            set.RemoveWhere(id => !calls.ContainsKey(id)); // calls that ended no longer count
            return set.Contains(callId) || (set.Count < MaxWatchesPerConnection && set.Add(callId));
        }
    }

    public void Unwatch(string connectionId, string callId)
    {
        if (watches.TryGetValue(connectionId, out var set))
        {
            lock (set)
            {
                set.Remove(callId);
            }
        }
    }

    /// <summary>The connection closed: SignalR drops it from its groups; forget its count.</summary>
    public void Forget(string connectionId) => watches.TryRemove(connectionId, out _);
}
