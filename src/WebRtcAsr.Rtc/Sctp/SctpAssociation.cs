using System.Buffers.Binary;
using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>
/// One SCTP association as WebRTC data channels use it over DTLS (RFC 8261, RFC 9260 subset,
/// RFC 3758 PR-SCTP, RFC 6525 stream reset). Sans-IO: feed whole SCTP packets and the time in,
/// drain packets, events and the next timer out. Not thread-safe; one owner drives it.
/// </summary>
public sealed partial class SctpAssociation
{
    private const int MaxControlChunks = 32;
    private const int MaxRawPackets = 8;

    private readonly SctpOptions _options;
    private readonly byte[] _cookieSecret;
    private readonly Queue<SctpEvent> _events = new();
    private readonly Queue<byte[]> _controlChunks = new(); // whole chunks sent with the peer's tag
    private readonly Queue<byte[]> _rawPackets = new(); // whole packets with their own tag (INIT, INIT-ACK, ABORT…)
    private bool _terminated;
    private bool _closedReported;

    // Tags and sequence spaces.
    private uint _localTag;
    private uint _peerTag;
    private uint _localInitialTsn;
    private bool _peerForwardTsn;
    private bool _peerReconfig;

    // Timers (long.MaxValue: stopped).
    private long _t1Deadline = long.MaxValue;
    private int _t1Count;
    private long _t2Deadline = long.MaxValue;
    private int _t2Count;
    private long _t3Deadline = long.MaxValue;
    private long _heartbeatDeadline = long.MaxValue;
    private long _heartbeatSentAt;
    private ulong _heartbeatNonce;
    private bool _heartbeatOutstanding;
    private byte[]? _cookieEcho; // COOKIE-ECHO chunk kept for T1-cookie retransmission

    private readonly RetransmissionTimeout _rto;
    private int _errorCount;

    public SctpAssociation(SctpOptions? options = null)
    {
        _options = options ?? new SctpOptions();
        if (_options.Mtu < 128 || _options.MaxMessageSize < 1 || _options.MaxStreams < 1)
        {
            throw new ArgumentException("SCTP options out of range (MTU >= 128, message size and streams >= 1)", nameof(options));
        }

        _cookieSecret = _options.CookieSecret ?? RandomNumberGenerator.GetBytes(32);
        _rto = new RetransmissionTimeout(_options.RtoInitialMicros, _options.RtoMinMicros, _options.RtoMaxMicros);
        _tracker = new ReceivedTsnTracker();
        _localTag = NewTag();
        _localInitialTsn = _options.InitialTsn ?? NewTag();
        _nextTsn = _localInitialTsn;
        _peerCumulativeAck = _localInitialTsn - 1;
        _advancedPeerAckPoint = _peerCumulativeAck;
        _nextReconfigRequestSeq = _localInitialTsn;
        _cwnd = InitialCwnd;
    }

    public SctpAssociationState State { get; private set; } = SctpAssociationState.Closed;

    public SctpCounters Counters { get; } = new();

    /// <summary>Why the association closed, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>True between the end of the handshake and close.</summary>
    public bool IsEstablished => State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending
        or SctpAssociationState.ShutdownReceived or SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent;

    /// <summary>Streams we may send on (negotiated), and may receive on.</summary>
    public ushort OutboundStreamCount { get; private set; }

    public ushort InboundStreamCount { get; private set; }

    public int MaxMessageSize => _options.MaxMessageSize;

    /// <summary>Streams asked for in each direction before negotiation.</summary>
    public ushort MaxStreams => _options.MaxStreams;

    /// <summary>Current retransmission timeout and congestion window, for metrics and tests.</summary>
    public long RtoMicros => _rto.Rto;

    public long SmoothedRttMicros => _rto.SmoothedRtt;

    public int CongestionWindow => _cwnd;

    /// <summary>Earliest time <see cref="HandleTimeout"/> wants to run, or long.MaxValue.</summary>
    public long NextTimeoutMicros
    {
        get
        {
            if (_terminated)
            {
                return long.MaxValue;
            }

            long next = Math.Min(_t1Deadline, _t2Deadline);
            next = Math.Min(next, _t3Deadline);
            next = Math.Min(next, _delayedAckDeadline);
            next = Math.Min(next, _heartbeatDeadline);
            return Math.Min(next, _reconfigDeadline);
        }
    }

    /// <summary>Starts the handshake as initiator: sends INIT (RFC 9260 §5.1).</summary>
    public void Connect(long nowMicros)
    {
        if (State != SctpAssociationState.Closed || _terminated)
        {
            return;
        }

        State = SctpAssociationState.CookieWait;
        QueueInit();
        _t1Count = 0;
        _t1Deadline = nowMicros + _rto.Rto;
    }

    public bool PollEvent(out SctpEvent ev)
    {
        if (!_events.TryDequeue(out ev))
        {
            return false;
        }

        if (ev.Kind == SctpEventKind.Message && ev.Data is not null)
        {
            _receiveBytesHeld -= ev.Data.Length;
            MaybeAnnounceWindow();
        }

        return true;
    }

    /// <summary>Runs expired timers: retransmissions, delayed SACK, heartbeat, shutdown, reconfig.</summary>
    public void HandleTimeout(long nowMicros)
    {
        if (_terminated)
        {
            return;
        }

        if (nowMicros >= _t1Deadline)
        {
            OnT1Expired(nowMicros);
        }

        if (nowMicros >= _t2Deadline)
        {
            OnT2Expired(nowMicros);
        }

        if (nowMicros >= _t3Deadline)
        {
            OnT3Expired(nowMicros);
        }

        if (nowMicros >= _delayedAckDeadline)
        {
            _delayedAckDeadline = long.MaxValue;
            _sackNeeded = true;
        }

        if (nowMicros >= _heartbeatDeadline)
        {
            OnHeartbeatDue(nowMicros);
        }

        if (nowMicros >= _reconfigDeadline)
        {
            _reconfigDeadline = long.MaxValue;
            _reconfigRequestDue = _outstandingReset is not null;
        }
    }

    /// <summary>Processes one SCTP packet (a DTLS application data record). Bad packets are dropped and counted.</summary>
    public void HandleReceive(ReadOnlySpan<byte> packet, long nowMicros)
    {
        Counters.PacketsReceived++;
        if (_terminated)
        {
            return;
        }

        if (!SctpPacket.TryReadHeader(packet, out ushort sourcePort, out ushort destinationPort, out uint tag, out string? error))
        {
            DropPacket(error!);
            return;
        }

        if (destinationPort != _options.LocalPort || sourcePort != _options.RemotePort)
        {
            DropPacket("wrong ports");
            return;
        }

        var reader = new SctpChunkReader(packet);
        if (!reader.TryRead(out var first))
        {
            DropPacket(reader.Error ?? "no chunk");
            return;
        }

        if (first.Type == (byte)SctpChunkType.Init)
        {
            // INIT travels alone with tag 0 (RFC 9260 §8.5.1).
            if (tag != 0)
            {
                DropPacket("INIT with non-zero verification tag");
                return;
            }

            HandleInit(first, nowMicros);
            return;
        }

        if (!PassesTagCheck(first, tag))
        {
            return;
        }

        bool receivedData = false;
        var chunk = first;
        do
        {
            if (!HandleChunk(chunk, tag, nowMicros, ref receivedData) || _terminated)
            {
                break;
            }
        }
        while (reader.TryRead(out chunk));

        if (reader.Error is not null)
        {
            Counters.ChunksDropped++;
            Counters.LastDropReason = reader.Error;
        }

        if (receivedData && !_terminated)
        {
            AfterDataReceived(nowMicros);
        }
    }

    // RFC 9260 §8.5: the tag must be ours, except where the chunk says otherwise.
    private bool PassesTagCheck(in SctpChunk first, uint tag)
    {
        bool reflected = (first.Flags & 1) != 0; // T bit
        switch ((SctpChunkType)first.Type)
        {
            case SctpChunkType.CookieEcho:
                return true; // checked against the cookie
            case SctpChunkType.Abort:
            case SctpChunkType.ShutdownComplete:
                if (State == SctpAssociationState.Closed && !_everEstablished)
                {
                    DropPacket("ABORT/SHUTDOWN-COMPLETE without association");
                    return false;
                }

                if (tag == (reflected ? _peerTag : _localTag))
                {
                    return true;
                }

                DropPacket("bad verification tag");
                return false;
            case SctpChunkType.ShutdownAck when State is SctpAssociationState.Closed or SctpAssociationState.CookieWait:
                // Out of the blue SHUTDOWN-ACK: answer SHUTDOWN-COMPLETE with the T bit (§8.4 item 5).
                QueueRawPacket(tag, SctpChunkType.ShutdownComplete, 1, default);
                return false;
        }

        if (State == SctpAssociationState.Closed)
        {
            // Out of the blue (§8.4): answer with ABORT carrying the T bit, unless it is an ABORT-like reply.
            if (!_everEstablished && first.Type != (byte)SctpChunkType.Error && first.Type != (byte)SctpChunkType.CookieAck)
            {
                QueueRawPacket(tag, SctpChunkType.Abort, 1, default);
            }

            DropPacket("out of the blue packet");
            return false;
        }

        if (tag != _localTag)
        {
            DropPacket("bad verification tag");
            return false;
        }

        return true;
    }

    // Returns false when processing of the rest of the packet must stop.
    private bool HandleChunk(in SctpChunk chunk, uint tag, long now, ref bool receivedData)
    {
        switch ((SctpChunkType)chunk.Type)
        {
            case SctpChunkType.Data:
                receivedData |= HandleData(chunk, now);
                return true;
            case SctpChunkType.Sack:
                HandleSack(chunk, now);
                return true;
            case SctpChunkType.Init:
                DropChunk("INIT bundled with other chunks");
                return false;
            case SctpChunkType.InitAck:
                HandleInitAck(chunk, now);
                return true;
            case SctpChunkType.CookieEcho:
                return HandleCookieEcho(chunk, tag, now);
            case SctpChunkType.CookieAck:
                HandleCookieAck(now);
                return true;
            case SctpChunkType.Heartbeat:
                HandleHeartbeat(chunk);
                return true;
            case SctpChunkType.HeartbeatAck:
                HandleHeartbeatAck(chunk, now);
                return true;
            case SctpChunkType.Abort:
                Terminate("aborted by peer: " + ErrorCauses.Describe(chunk.Value));
                return false;
            case SctpChunkType.Shutdown:
                HandleShutdown(chunk, now);
                return true;
            case SctpChunkType.ShutdownAck:
                HandleShutdownAck();
                return false;
            case SctpChunkType.ShutdownComplete:
                if (State == SctpAssociationState.ShutdownAckSent)
                {
                    Terminate("shutdown complete");
                }

                return false;
            case SctpChunkType.Error:
                HandleError(chunk, now);
                return true;
            case SctpChunkType.ForwardTsn:
                receivedData |= HandleForwardTsn(chunk);
                return true;
            case SctpChunkType.Reconfig:
                HandleReconfig(chunk, now);
                return true;
            default:
                return HandleUnknownChunk(chunk);
        }
    }

    // RFC 9260 §3.2: the upper two bits of an unknown type say skip or stop, report or not.
    private bool HandleUnknownChunk(in SctpChunk chunk)
    {
        Counters.ChunksDropped++;
        Counters.LastDropReason = $"unknown chunk type {chunk.Type}";
        if ((chunk.Type & 0x40) != 0 && IsEstablished)
        {
            var raw = chunk.Raw[..Math.Min(chunk.Raw.Length, 256)];
            var cause = new byte[4 + 4 + raw.Length];
            cause[0] = (byte)SctpChunkType.Error;
            BinaryPrimitives.WriteUInt16BigEndian(cause.AsSpan(2), (ushort)cause.Length);
            BinaryPrimitives.WriteUInt16BigEndian(cause.AsSpan(4), (ushort)SctpErrorCause.UnrecognizedChunkType);
            BinaryPrimitives.WriteUInt16BigEndian(cause.AsSpan(6), (ushort)(4 + raw.Length));
            raw.CopyTo(cause.AsSpan(8));
            QueueControlChunk(cause);
        }

        return (chunk.Type & 0x80) != 0;
    }

    private void HandleError(in SctpChunk chunk, long now)
    {
        // A stale cookie while echoing means our handshake took too long; start over (§5.2.6, simplified).
        if (State == SctpAssociationState.CookieEchoed && ErrorCauses.Contains(chunk.Value, SctpErrorCause.StaleCookie))
        {
            State = SctpAssociationState.CookieWait;
            _cookieEcho = null;
            QueueInit();
            _t1Deadline = now + _rto.Rto;
            return;
        }

        Counters.LastDropReason = "peer reported: " + ErrorCauses.Describe(chunk.Value);
    }

    private void DropPacket(string reason)
    {
        Counters.PacketsDropped++;
        Counters.LastDropReason = reason;
    }

    private void DropChunk(string reason)
    {
        Counters.ChunksDropped++;
        Counters.LastDropReason = reason;
    }

    private void QueueControlChunk(byte[] chunk)
    {
        if (_controlChunks.Count < MaxControlChunks)
        {
            _controlChunks.Enqueue(chunk);
        }
    }

    /// <summary>A chunk with just a header and an optional value.</summary>
    private static byte[] MakeChunk(SctpChunkType type, byte flags, ReadOnlySpan<byte> value)
    {
        var chunk = new byte[4 + value.Length];
        chunk[0] = (byte)type;
        chunk[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(2), (ushort)chunk.Length);
        value.CopyTo(chunk.AsSpan(4));
        return chunk;
    }

    private void QueueRawPacket(uint tag, SctpChunkType type, byte flags, ReadOnlySpan<byte> value)
    {
        var buffer = new byte[SctpPacket.HeaderLength + 4 + ((value.Length + 3) & ~3)];
        var writer = new SctpPacketWriter(buffer, _options.LocalPort, _options.RemotePort, tag);
        int start = writer.BeginChunk((byte)type, flags);
        writer.WriteBytes(value);
        writer.EndChunk(start);
        QueueRawPacket(buffer.AsSpan(0, writer.Finish()).ToArray());
    }

    private void QueueRawPacket(byte[] packet)
    {
        if (_rawPackets.Count < MaxRawPackets)
        {
            _rawPackets.Enqueue(packet);
        }
    }

    private void Raise(in SctpEvent ev) => _events.Enqueue(ev);

    /// <summary>Ends the association (once) and reports why.</summary>
    private void Terminate(string reason)
    {
        if (_terminated)
        {
            return;
        }

        _terminated = true;
        State = SctpAssociationState.Closed;
        CloseReason = reason;
        _t1Deadline = _t2Deadline = _t3Deadline = _delayedAckDeadline = _heartbeatDeadline = _reconfigDeadline = long.MaxValue;
        ReleaseAllBuffers();
        if (!_closedReported)
        {
            _closedReported = true;
            Raise(new SctpEvent(SctpEventKind.Closed, Reason: reason));
        }
    }

    private static uint NewTag()
    {
        Span<byte> bytes = stackalloc byte[4];
        uint value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        while (value == 0);
        return value;
    }
}
