namespace WebRtcAsr.Rtc.Sctp;

/// <summary>RTO estimation from RTT samples (RFC 9260 §6.3.1), with exponential backoff on expiry.</summary>
internal sealed class RetransmissionTimeout
{
    private readonly long _min;
    private readonly long _max;
    private bool _hasSample;

    public RetransmissionTimeout(long initialMicros, long minMicros, long maxMicros)
    {
        _min = minMicros;
        _max = maxMicros;
        Rto = Math.Clamp(initialMicros, minMicros, maxMicros);
    }

    public long Rto { get; private set; }

    public long SmoothedRtt { get; private set; }

    public long RttVariation { get; private set; }

    public void AddSample(long rttMicros)
    {
        rttMicros = Math.Max(0, rttMicros);
        if (!_hasSample)
        {
            SmoothedRtt = rttMicros;
            RttVariation = rttMicros / 2;
            _hasSample = true;
        }
        else
        {
            // RTO.Alpha = 1/8, RTO.Beta = 1/4.
            RttVariation = ((3 * RttVariation) + Math.Abs(SmoothedRtt - rttMicros)) / 4;
            SmoothedRtt = ((7 * SmoothedRtt) + rttMicros) / 8;
        }

        Rto = Math.Clamp(SmoothedRtt + (4 * RttVariation), _min, _max);
    }

    /// <summary>Doubles the RTO after a timer expiry (§6.3.3 E2).</summary>
    public void BackOff() => Rto = Math.Min(_max, Rto * 2);
}
