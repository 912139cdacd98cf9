namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// Rate limit: <see cref="Burst"/> tokens refilled at <see cref="RatePerSecond"/>; each take needs one. Time is
/// passed in (TimeProvider timestamps), so tests step it. Not thread-safe: callers lock.
/// </summary>
public sealed class TokenBucket
{
    private readonly long frequency;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst, long nowTimestamp, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        RatePerSecond = ratePerSecond;
        Burst = burst;
        frequency = timestampFrequency;
        tokens = burst;
        last = nowTimestamp;
    }

    public double RatePerSecond { get; }

    public int Burst { get; }

    public bool TryTake(long nowTimestamp)
    {
        if (nowTimestamp > last)
        {
            tokens = Math.Min(Burst, tokens + ((nowTimestamp - last) / (double)frequency * RatePerSecond));
            last = nowTimestamp;
        }

        if (tokens < 1)
        {
            return false;
        }

        tokens -= 1;
        return true;
    }
}
