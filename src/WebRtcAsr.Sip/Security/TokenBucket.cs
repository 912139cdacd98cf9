namespace WebRtcAsr.Sip.Security;

/// <summary>A token bucket on an injected clock: <c>rate</c> tokens per second up to <c>burst</c>.</summary>
public sealed class TokenBucket(double ratePerSecond, double burstSize, TimeSpan now)
{
    private readonly double _burst = burstSize;
    private double _tokens = burstSize;
    private TimeSpan _last = now;

    /// <summary>Whether the bucket is full at <paramref name="now"/>, i.e. the source has been idle.</summary>
    public bool IsFull(TimeSpan now) => Refill(now) >= _burst;

    public bool TryTake(TimeSpan now)
    {
        if (Refill(now) < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }

    private double Refill(TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_burst, _tokens + ((now - _last).TotalSeconds * ratePerSecond));
            _last = now;
        }

        return _tokens;
    }
}
