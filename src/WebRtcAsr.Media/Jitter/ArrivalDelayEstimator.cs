namespace WebRtcAsr.Media.Jitter;

/// <summary>
/// Estimates how late a packet may still arrive. For each packet the transit time
/// (arrival − send time implied by its RTP timestamp) is recorded over a sliding window; the
/// fastest transit in the window is the baseline ("on time"), and a packet's delay is its transit
/// minus that baseline. The wait for a missing packet covers a high percentile of those delays
/// and a multiple of the RFC 3550 A.8 jitter. A sliding baseline also absorbs sender clock drift.
/// </summary>
internal sealed class ArrivalDelayEstimator
{
    private const int MaxWindow = 512;
    private const int WarmupPackets = 32;

    private readonly long[] _transits;
    private readonly double _percentile;
    private readonly double _jitterMultiplier;
    private readonly long _minWait;
    private readonly long _maxWait;
    private readonly long _initialWait;
    private long _added;
    private int _count;
    private int _next;
    private long _lastTransit;
    private double _jitter;
    private bool _dirty;
    private long _baseline;
    private long _percentileDelay;
    private long _wait;

    public ArrivalDelayEstimator(JitterBufferOptions options)
    {
        _transits = new long[Math.Clamp(options.DelayWindow, 8, MaxWindow)];
        _percentile = Math.Clamp(options.DelayPercentile, 0, 1);
        _jitterMultiplier = Math.Max(0, options.JitterMultiplier);
        _minWait = Math.Max(0, options.MinWaitMicros);
        _maxWait = Math.Max(_minWait, options.MaxWaitMicros);
        _initialWait = options.InitialWaitMicros;
        _wait = _minWait;
    }

    // The window statistics are recomputed only when read (a gap's deadline, or the counters),
    // not on every packet: in-order packets never need them.

    /// <summary>Fastest transit in the window (µs): arrival of an on-time packet minus its media time.</summary>
    public long BaselineTransitMicros
    {
        get
        {
            Recompute();
            return _baseline;
        }
    }

    /// <summary>The chosen percentile of recent delays (µs).</summary>
    public long DelayPercentileMicros
    {
        get
        {
            Recompute();
            return _percentileDelay;
        }
    }

    /// <summary>RFC 3550 A.8 interarrival jitter (µs).</summary>
    public double JitterMicros => _jitter;

    /// <summary>How long after its on-time arrival a missing packet is still waited for.</summary>
    public long WaitMicros
    {
        get
        {
            Recompute();
            return _wait;
        }
    }

    public bool HasData => _count > 0;

    /// <summary>Records one arrival; <paramref name="mediaMicros"/> is the packet's timestamp in µs.</summary>
    public void Add(long arrivalMicros, long mediaMicros)
    {
        long transit = arrivalMicros - mediaMicros;
        if (_count > 0)
        {
            // J += (|D| - J) / 16
            _jitter += (Math.Abs(transit - _lastTransit) - _jitter) / 16;
        }

        _lastTransit = transit;
        _transits[_next] = transit;
        _next = (_next + 1) % _transits.Length;
        _count = Math.Min(_count + 1, _transits.Length);
        _added++;
        _dirty = true;
    }

    public void Reset()
    {
        _count = 0;
        _added = 0;
        _next = 0;
        _jitter = 0;
        _baseline = 0;
        _percentileDelay = 0;
        _wait = _minWait;
        _dirty = false;
    }

    private void Recompute()
    {
        if (!_dirty)
        {
            return;
        }

        _dirty = false;
        Span<long> sorted = stackalloc long[_count];
        _transits.AsSpan(0, _count).CopyTo(sorted);
        sorted.Sort();
        _baseline = sorted[0];
        int index = (int)Math.Ceiling(_percentile * (_count - 1));
        _percentileDelay = sorted[index] - sorted[0];
        long byJitter = (long)(_jitterMultiplier * _jitter);
        long wait = Math.Max(_percentileDelay, byJitter);
        if (_added < WarmupPackets)
        {
            wait = Math.Max(wait, _initialWait);
        }

        _wait = Math.Clamp(wait, _minWait, _maxWait);
    }
}
