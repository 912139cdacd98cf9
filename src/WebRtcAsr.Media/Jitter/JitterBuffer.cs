using System.Buffers;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Jitter;

/// <summary>
/// A recognition-first jitter buffer for one audio stream. It does not run a playout clock: a
/// recognizer wants complete audio as early as possible, so contiguous packets are decoded and
/// released the moment they are complete. Only a gap holds the audio back, and only as long as
/// the observed arrival delays say the missing packet may still come
/// (<see cref="ArrivalDelayEstimator"/>); then the gap is concealed with Opus in-band FEC from
/// the following packet when it carries some, else with the decoder's PLC. Gaps longer than
/// <see cref="JitterBufferOptions.MaxConcealedPackets"/> and DTX pauses are not filled: the next
/// block is flagged as a discontinuity and its timestamp keeps stream time right.
/// Because nothing waits on a clock, sender clock drift cannot make it grow or starve.
/// </summary>
/// <remarks>
/// Sans-IO: time comes in as <c>nowMicros</c> (one monotonic clock, microseconds), the caller
/// calls <see cref="Poll"/> at <see cref="NextTimeoutMicros"/>. Not thread-safe: one owner per
/// stream. Payloads are copied into buffers rented once, so steady state allocates nothing.
/// </remarks>
public sealed class JitterBuffer : IDisposable
{
    /// <summary>Forward jump, in packets, treated as a possible stream restart (RFC 3550 A.1 MAX_DROPOUT).</summary>
    public const int MaxDropout = 3000;

    /// <summary>Backward distance beyond the held window still treated as a late packet (A.1 MAX_MISORDER).</summary>
    public const int MaxMisorder = 100;

    private readonly IAudioDecoder _decoder;
    private readonly IAudioFrameSink _sink;
    private readonly JitterBufferOptions _options;
    private readonly ArrivalDelayEstimator _delays;
    private readonly Slot[] _slots;
    private readonly long[] _released; // extended seq of packets released from real data, per ring index
    private readonly int _mask;
    private readonly float[] _pcm;
    private readonly int _clockRate;
    private readonly int _outputRate;
    private SequenceNumberUnwrapper _sequence;
    private TimestampUnwrapper _timestamps;
    private bool _started;
    private uint _ssrc;
    private long _nextSeq;
    private long _nextTimestamp;
    private long _highestHeld;
    private int _packetSamples;
    private bool _discontinuity;
    private int _suspectSequence = -1;
    private bool _priming;
    private long _primeDeadline;
    private bool _disposed;

    public JitterBuffer(IAudioDecoder decoder, IAudioFrameSink sink, JitterBufferOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(sink);
        _decoder = decoder;
        _sink = sink;
        _options = options ?? new JitterBufferOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Capacity, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxPayloadBytes);
        _clockRate = decoder.ClockRate;
        _outputRate = decoder.OutputRate;
        int capacity = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_options.Capacity);
        _mask = capacity - 1;
        _slots = new Slot[capacity];
        _released = new long[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i].Payload = ArrayPool<byte>.Shared.Rent(_options.MaxPayloadBytes);
            _released[i] = -1;
        }

        _pcm = new float[Math.Max(decoder.MaxFrameSamples, 1)];
        _delays = new ArrivalDelayEstimator(_options);
        _packetSamples = DefaultPacketSamples;
        Statistics.Delays = _delays;
    }

    public JitterBufferStatistics Statistics { get; } = new();

    /// <summary>Packets held now.</summary>
    public int Count => Statistics.Held;

    /// <summary>
    /// When <see cref="Poll"/> must next be called: the deadline of the missing packet that
    /// holds audio back, or null when nothing is waiting for time.
    /// </summary>
    public long? NextTimeoutMicros => Statistics.Held == 0 ? null
        : _priming ? _primeDeadline
        : !_slots[_nextSeq & _mask].Holds(_nextSeq) ? GapDeadline()
        : null;

    private int DefaultPacketSamples => (int)Math.Max(1, _options.DefaultPacketMicros * _outputRate / 1_000_000);

    private long PacketTicks => Math.Max(1, (long)_packetSamples * _clockRate / _outputRate);

    /// <summary>Offers one packet; contiguous audio it completes is released to the sink at once.</summary>
    public JitterInsertResult Insert(in RtpPacketView packet, long nowMicros) => InsertPacket(packet, nowMicros, hasAudio: true);

    /// <summary>
    /// Offers a packet of the same stream that carries nothing for this decoder: an RFC 4733
    /// telephone-event or comfort noise shares the SSRC and the sequence numbers, so without it
    /// the audio would show a gap that is not loss. It takes its sequence slot and releases no audio.
    /// </summary>
    public JitterInsertResult InsertWithoutAudio(in RtpPacketView packet, long nowMicros) => InsertPacket(packet, nowMicros, hasAudio: false);

    private JitterInsertResult InsertPacket(in RtpPacketView packet, long nowMicros, bool hasAudio)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (hasAudio && packet.Payload.Length > _options.MaxPayloadBytes)
        {
            Statistics.TooLarge++;
            return JitterInsertResult.TooLarge;
        }

        if (_started && packet.Ssrc != _ssrc)
        {
            Statistics.SsrcChanges++;
            FlushHeld();
            ResetStream();
        }

        if (!_started)
        {
            StartStream(packet);
            _priming = _options.StartupHoldMicros > 0;
            _primeDeadline = nowMicros + _options.StartupHoldMicros;
        }

        long seq = _sequence.Peek(packet.SequenceNumber);
        long distance = seq - _nextSeq;
        if (_priming && distance < 0 && distance > -MaxMisorder && _highestHeld - seq <= _mask)
        {
            // Nothing released yet: a reordered predecessor becomes the stream's start.
            _nextSeq = seq;
            _nextTimestamp = _timestamps.Peek(packet.Timestamp);
            distance = 0;
        }

        if (distance >= MaxDropout || distance < -(_slots.Length + MaxMisorder))
        {
            // RFC 3550 A.1: a big jump restarts the stream only when the next packet confirms it.
            if (packet.SequenceNumber != _suspectSequence)
            {
                _suspectSequence = (ushort)(packet.SequenceNumber + 1);
                Statistics.SequenceJumps++;
                return JitterInsertResult.SequenceJump;
            }

            Statistics.Restarts++;
            FlushHeld();
            ResetStream();
            StartStream(packet);
            seq = _sequence.Peek(packet.SequenceNumber);
            distance = 0;
        }

        _suspectSequence = -1;
        if (distance < 0)
        {
            if (_released[seq & _mask] == seq)
            {
                Statistics.Duplicates++;
                return JitterInsertResult.Duplicate;
            }

            // A late arrival is exactly what the wait must learn from.
            _delays.Add(nowMicros, MediaMicros(_timestamps.Peek(packet.Timestamp)));
            Statistics.Late++;
            return JitterInsertResult.Late;
        }

        ref Slot slot = ref _slots[seq & _mask];
        if (slot.Holds(seq))
        {
            Statistics.Duplicates++;
            return JitterInsertResult.Duplicate;
        }

        if (distance > _mask)
        {
            // Too far ahead for the ring: release what is held and give up on the gap.
            Statistics.Overflows++;
            ForceAdvance(seq - _mask);
        }

        _sequence.Unwrap(packet.SequenceNumber);
        long timestamp = _timestamps.Unwrap(packet.Timestamp);
        slot.Sequence = seq;
        slot.Timestamp = timestamp;
        slot.Marker = packet.Marker;
        slot.HasAudio = hasAudio;
        slot.Length = hasAudio ? packet.Payload.Length : 0;
        slot.Occupied = true;
        packet.Payload[..slot.Length].CopyTo(slot.Payload);
        _highestHeld = Statistics.Held == 0 ? seq : Math.Max(_highestHeld, seq);
        Statistics.Held++;
        Statistics.MaxHeld = Math.Max(Statistics.MaxHeld, Statistics.Held);
        Statistics.Received++;

        if (hasAudio)
        {
            // Event timestamps mark the event's start, not this packet's media time.
            _delays.Add(nowMicros, MediaMicros(timestamp));
        }

        Release(nowMicros);
        return JitterInsertResult.Accepted;
    }

    /// <summary>Conceals gaps whose wait has expired and releases what follows them.</summary>
    public void Poll(long nowMicros)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Release(nowMicros);
    }

    /// <summary>Releases everything held, in order, without waiting (end of stream).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushHeld();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var slot in _slots)
        {
            ArrayPool<byte>.Shared.Return(slot.Payload);
        }
    }

    private void StartStream(in RtpPacketView packet)
    {
        _started = true;
        _ssrc = packet.Ssrc;
        _nextSeq = _sequence.Unwrap(packet.SequenceNumber);
        _nextTimestamp = _timestamps.Unwrap(packet.Timestamp);
        _discontinuity = true;
    }

    private void ResetStream()
    {
        _started = false;
        _priming = false;
        _sequence.Reset();
        _timestamps.Reset();
        _delays.Reset();
        _suspectSequence = -1;
        _packetSamples = DefaultPacketSamples;
        Array.Fill(_released, -1);
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i].Occupied = false;
        }

        Statistics.Held = 0;
    }

    private void Release(long nowMicros)
    {
        if (_priming)
        {
            if (nowMicros < _primeDeadline)
            {
                return;
            }

            _priming = false;
        }

        while (Statistics.Held > 0)
        {
            ref Slot slot = ref _slots[_nextSeq & _mask];
            if (slot.Holds(_nextSeq))
            {
                EmitPacket(ref slot);
                continue;
            }

            if (nowMicros < GapDeadline())
            {
                return;
            }

            ConcealOrSkipGap();
        }
    }

    /// <summary>The missing packet was due at baseline transit + its media time; wait beyond that.</summary>
    private long GapDeadline() =>
        _delays.HasData ? MediaMicros(_nextTimestamp) + _delays.BaselineTransitMicros + _delays.WaitMicros : long.MinValue;

    private void ConcealOrSkipGap()
    {
        long next = NextHeld();
        long missing = next - _nextSeq;
        if (missing > _options.MaxConcealedPackets)
        {
            Skip(missing);
            return;
        }

        ref Slot following = ref _slots[next & _mask];
        long ticks = PacketTicks;
        int samples = _packetSamples;
        long available = following.Timestamp - _nextTimestamp;
        if (following.HasAudio && available > 0 && available < ticks * missing)
        {
            // Packets shorter than assumed: share what the timestamps leave between them.
            ticks = Math.Max(1, available / missing);
            samples = (int)Math.Max(1, ticks * _outputRate / _clockRate);
        }

        int written = -1;
        AudioFrameKind kind = AudioFrameKind.Plc;
        if (missing == 1 && following.HasAudio && _decoder.HasFec(following.Payload.AsSpan(0, following.Length)))
        {
            written = _decoder.DecodeFec(following.Payload.AsSpan(0, following.Length), samples, _pcm);
            kind = AudioFrameKind.Fec;
        }

        if (written < 0)
        {
            written = _decoder.Conceal(samples, _pcm);
            kind = AudioFrameKind.Plc;
        }

        Statistics.Lost++;
        if (written > 0)
        {
            if (kind == AudioFrameKind.Fec)
            {
                Statistics.ConcealedByFec++;
            }
            else
            {
                Statistics.ConcealedByPlc++;
            }

            Emit(written, _nextSeq, kind, marker: false);
        }
        else
        {
            Statistics.Skipped++;
            _discontinuity = true;
        }

        _released[_nextSeq & _mask] = -1;
        _nextSeq++;
        _nextTimestamp += ticks;
    }

    private void Skip(long missing)
    {
        for (long s = _nextSeq; s < _nextSeq + Math.Min(missing, _slots.Length); s++)
        {
            _released[s & _mask] = -1;
        }

        Statistics.Lost += missing;
        Statistics.Skipped += missing;
        _nextSeq += missing;
        _nextTimestamp += missing * PacketTicks;
        _discontinuity = true;
    }

    private void EmitPacket(ref Slot slot)
    {
        long sequence = slot.Sequence;
        if (!slot.HasAudio)
        {
            // Takes its sequence number, nothing else; audio time is not moved.
            slot.Occupied = false;
            Statistics.Held--;
            Statistics.WithoutAudio++;
            _released[sequence & _mask] = sequence;
            _nextSeq = sequence + 1;
            return;
        }

        if (slot.Timestamp != _nextTimestamp)
        {
            if (slot.Timestamp > _nextTimestamp && !_discontinuity)
            {
                Statistics.DtxGaps++;
            }

            _discontinuity = true;
        }

        int written = _decoder.Decode(slot.Payload.AsSpan(0, slot.Length), _pcm);
        slot.Occupied = false;
        Statistics.Held--;
        _released[sequence & _mask] = sequence;
        long timestamp = slot.Timestamp;
        _nextTimestamp = timestamp;
        if (written < 0)
        {
            // Rejected payload: conceal in its place so timing holds.
            Statistics.DecodeErrors++;
            written = _decoder.Conceal(_packetSamples, _pcm);
            if (written > 0)
            {
                Statistics.ConcealedByPlc++;
                Emit(written, sequence, AudioFrameKind.Plc, slot.Marker);
            }
            else
            {
                _discontinuity = true;
            }

            _nextTimestamp = timestamp + PacketTicks;
        }
        else
        {
            if (written > 0)
            {
                _packetSamples = written;
                Emit(written, sequence, AudioFrameKind.Decoded, slot.Marker);
            }

            Statistics.Decoded++;
            _nextTimestamp = timestamp + ((long)written * _clockRate / _outputRate);
        }

        _nextSeq = sequence + 1;
    }

    private void Emit(int samples, long sequence, AudioFrameKind kind, bool marker)
    {
        var frame = new DecodedAudio(_pcm.AsSpan(0, samples), _outputRate, _clockRate, _nextTimestamp, sequence,
            _ssrc, kind, _discontinuity, marker);
        _discontinuity = false;
        _sink.OnFrame(frame);
    }

    private long NextHeld()
    {
        for (long s = _nextSeq; s <= _highestHeld; s++)
        {
            if (_slots[s & _mask].Holds(s))
            {
                return s;
            }
        }

        return _highestHeld; // unreachable while Held > 0
    }

    private void ForceAdvance(long target)
    {
        _priming = false;
        while (_nextSeq < target)
        {
            ref Slot slot = ref _slots[_nextSeq & _mask];
            if (slot.Holds(_nextSeq))
            {
                EmitPacket(ref slot);
            }
            else
            {
                long next = Statistics.Held > 0 ? NextHeld() : target;
                Skip(Math.Min(next, target) - _nextSeq);
            }
        }
    }

    private void FlushHeld()
    {
        _priming = false;
        while (Statistics.Held > 0)
        {
            ref Slot slot = ref _slots[_nextSeq & _mask];
            if (slot.Holds(_nextSeq))
            {
                EmitPacket(ref slot);
            }
            else
            {
                Skip(NextHeld() - _nextSeq);
            }
        }
    }

    private long MediaMicros(long timestamp) => timestamp * 1_000_000 / _clockRate;

    private struct Slot
    {
        public byte[] Payload;
        public long Sequence;
        public long Timestamp;
        public int Length;
        public bool Occupied;
        public bool Marker;
        public bool HasAudio;

        public readonly bool Holds(long sequence) => Occupied && Sequence == sequence;
    }
}
