namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Per-source receive statistics of RFC 3550: sequence validation with probation and restart
/// on large jumps (appendix A.1 <c>update_seq</c>), loss counts (A.3) and interarrival jitter
/// (A.8), plus what a receiver report needs about the last sender report (LSR/DLSR).
/// Time is injected as microseconds on one monotonic clock.
/// </summary>
public sealed class RtpReceiveStatistics
{
    /// <summary>Largest forward jump accepted as in-order (A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Largest backward jump treated as reordering (A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    private const int SequenceModulo = 1 << 16;

    private readonly int _clockRate;
    private readonly int _minSequential;
    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq;
    private int _probation;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit;
    private bool _haveTransit;
    private long _jitterQ4; // jitter in timestamp units scaled by 16, as in A.8's integer form
    private bool _started;

    /// <param name="clockRate">RTP clock rate of the payload (for jitter).</param>
    /// <param name="minSequential">Packets in sequence before a new source is valid (A.1 MIN_SEQUENTIAL;
    /// 0 or 1 accepts the first packet, e.g. for a source already known from signalling).</param>
    public RtpReceiveStatistics(int clockRate, int minSequential = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfNegative(minSequential);
        _clockRate = clockRate;
        _minSequential = minSequential;
    }

    /// <summary>The SSRC these statistics describe (set by the first packet).</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Valid packets received (A.1 <c>received</c>), duplicates included as in RFC 3550.</summary>
    public long PacketsReceived => _received;

    /// <summary>Extended highest sequence number received (cycles + max_seq).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected: extended highest - base + 1 (A.3).</summary>
    public long PacketsExpected => _received == 0 && _probation > 0 ? 0 : (long)ExtendedHighestSequence - _baseSeq + 1;

    /// <summary>Cumulative number of packets lost (may be negative with duplicates, A.3).</summary>
    public long CumulativeLost => PacketsExpected - _received;

    /// <summary>Interarrival jitter in timestamp units (A.8).</summary>
    public uint Jitter => (uint)(_jitterQ4 >> 4);

    /// <summary>Packets the sequence check rejected (probation, bad jumps).</summary>
    public long PacketsRejected { get; private set; }

    /// <summary>Times the source was restarted after a confirmed large jump.</summary>
    public long Restarts { get; private set; }

    /// <summary>Middle 32 bits of the NTP timestamp of the last sender report (0 if none).</summary>
    public uint LastSenderReportNtpMiddle { get; private set; }

    /// <summary>Arrival time (µs) of the last sender report; null if none.</summary>
    public long? LastSenderReportArrivalMicros { get; private set; }

    /// <summary>
    /// Feeds one packet; returns true when the sequence number is valid for this source
    /// (A.1 <c>update_seq</c>), false while on probation or after an unconfirmed big jump.
    /// </summary>
    public bool Update(ushort sequenceNumber, uint timestamp, uint ssrc, long arrivalMicros)
    {
        if (!_started)
        {
            _started = true;
            Ssrc = ssrc;
            InitSequence(sequenceNumber);
            _maxSeq = (ushort)(sequenceNumber - 1);
            _probation = Math.Max(1, _minSequential);
        }

        if (!UpdateSequence(sequenceNumber))
        {
            PacketsRejected++;
            return false;
        }

        UpdateJitter(timestamp, arrivalMicros);
        return true;
    }

    /// <summary>Records a sender report from this source for LSR/DLSR.</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalMicros)
    {
        LastSenderReportNtpMiddle = (uint)(ntpTimestamp >> 16);
        LastSenderReportArrivalMicros = arrivalMicros;
    }

    /// <summary>
    /// Loss since the previous call as the 8-bit fixed-point fraction of A.3, and moves the
    /// interval mark (call once per report).
    /// </summary>
    public byte TakeFractionLost()
    {
        long expected = PacketsExpected;
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0)
        {
            return 0;
        }

        return (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    private void InitSequence(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SequenceModulo + 1; // so seq == bad_seq is false
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }

    private bool UpdateSequence(ushort seq)
    {
        ushort udelta = (ushort)(seq - _maxSeq);
        if (_probation > 0)
        {
            if (seq == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    InitSequence(seq);
                    _received++;
                    return true;
                }
            }
            else
            {
                _probation = _minSequential - 1;
                _maxSeq = seq;
            }

            return _minSequential <= 1 && Accept(seq);
        }

        if (udelta < MaxDropout)
        {
            if (seq < _maxSeq)
            {
                _cycles += SequenceModulo; // wrapped
            }

            _maxSeq = seq;
        }
        else if (udelta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump: restart only when two sequential packets confirm it.
            if (seq == _badSeq)
            {
                InitSequence(seq);
                Restarts++;
                _haveTransit = false;
            }
            else
            {
                _badSeq = (uint)((seq + 1) & (SequenceModulo - 1));
                return false;
            }
        }

        // else: duplicate or reordered packet, counted as received.
        _received++;
        return true;
    }

    private bool Accept(ushort seq)
    {
        // With minSequential 0/1 the first packet is valid at once.
        InitSequence(seq);
        _probation = 0;
        _received++;
        return true;
    }

    private void UpdateJitter(uint timestamp, long arrivalMicros)
    {
        // Arrival in timestamp units; only differences matter, so wrap of the product is harmless.
        long arrival = arrivalMicros * _clockRate / 1_000_000;
        long transit = (uint)arrival - timestamp;
        transit = (int)(uint)transit; // keep the difference modulo 2^32, signed
        if (_haveTransit)
        {
            long d = (int)(uint)(transit - _lastTransit);
            if (d < 0)
            {
                d = -d;
            }

            // J += (|D| - J) / 16, in the scaled-by-16 integer form of A.8.
            _jitterQ4 += d - ((_jitterQ4 + 8) >> 4);
        }

        _lastTransit = transit;
        _haveTransit = true;
    }
}
