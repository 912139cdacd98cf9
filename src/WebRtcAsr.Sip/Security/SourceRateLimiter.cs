using System.Net;

namespace WebRtcAsr.Sip.Security;

/// <summary>
/// Per-source-address token buckets in a bounded table. When the table is full, idle (full) buckets are
/// evicted; if none is idle, new sources are refused until one is, so a flood of spoofed sources cannot grow it.
/// </summary>
public sealed class SourceRateLimiter(double ratePerSecond, double burst, int maxSources)
{
    private readonly Dictionary<IPAddress, TokenBucket> _buckets = [];

    public int TrackedSources => _buckets.Count;

    public bool TryAcquire(IPAddress source, TimeSpan now)
    {
        if (!_buckets.TryGetValue(source, out var bucket))
        {
            if (_buckets.Count >= maxSources && !EvictIdle(now))
            {
                return false;
            }

            bucket = new TokenBucket(ratePerSecond, burst, now);
            _buckets[source] = bucket;
        }

        return bucket.TryTake(now);
    }

    private bool EvictIdle(TimeSpan now)
    {
        var idle = new List<IPAddress>();
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull(now))
            {
                idle.Add(address);
            }
        }

        foreach (var address in idle)
        {
            _buckets.Remove(address);
        }

        return idle.Count > 0;
    }
}
