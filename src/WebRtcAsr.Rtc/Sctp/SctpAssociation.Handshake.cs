using System.Buffers.Binary;
using System.Text;

namespace WebRtcAsr.Rtc.Sctp;

// The four-way handshake with a stateless responder (RFC 9260 §5.1), heartbeats, shutdown and abort.
public sealed partial class SctpAssociation
{
    private bool _everEstablished;

    private void QueueInit()
    {
        var buffer = new byte[256];
        var writer = new SctpPacketWriter(buffer, _options.LocalPort, _options.RemotePort, 0);
        InitChunk.Write(ref writer, SctpChunkType.Init, _localTag, AdvertisedWindow(), _options.MaxStreams, _options.MaxStreams,
            _localInitialTsn, default, default);
        QueueRawPacket(buffer.AsSpan(0, writer.Finish()).ToArray());
    }

    private void HandleInit(in SctpChunk chunk, long now)
    {
        if (!InitChunk.TryParse(chunk.Value, out var init, out string? error))
        {
            DropPacket(error!);
            return;
        }

        if (init.InitiateTag == 0 || init.OutboundStreams == 0 || init.InboundStreams == 0)
        {
            // §3.3.2: invalid mandatory parameter; answer with ABORT using the peer's tag.
            QueueRawPacket(init.InitiateTag, SctpChunkType.Abort, 0, CauseBytes(SctpErrorCause.InvalidMandatoryParameter, default));
            DropPacket("INIT with zero tag or stream count");
            return;
        }

        uint localTag, localInitialTsn;
        switch (State)
        {
            case SctpAssociationState.Closed when !_everEstablished:
                // Stateless: a fresh tag and TSN go into the cookie only.
                localTag = NewTag();
                localInitialTsn = _options.InitialTsn ?? NewTag();
                break;
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                // Both ends started at once (§5.2.1): answer with the tag and TSN of our own INIT.
                localTag = _localTag;
                localInitialTsn = _localInitialTsn;
                break;
            default:
                // Restarts are not supported: a new DTLS session brings a new association.
                DropPacket("INIT on an existing association");
                return;
        }

        var cookie = new StateCookie(now, _options.CookieLifetimeMicros, localTag, init.InitiateTag, localInitialTsn, init.InitialTsn,
            init.AdvertisedReceiverWindow, Math.Min(_options.MaxStreams, init.InboundStreams),
            Math.Min(_options.MaxStreams, init.OutboundStreams), init.ForwardTsnSupported, init.ReconfigSupported);
        Span<byte> cookieBytes = stackalloc byte[StateCookie.Length];
        cookie.Write(cookieBytes, _cookieSecret);

        var report = init.ParametersToReport[..Math.Min(init.ParametersToReport.Length, 256)];
        var buffer = new byte[256 + StateCookie.Length + report.Length];
        var writer = new SctpPacketWriter(buffer, _options.LocalPort, _options.RemotePort, init.InitiateTag);
        InitChunk.Write(ref writer, SctpChunkType.InitAck, localTag, AdvertisedWindow(), _options.MaxStreams, _options.MaxStreams,
            localInitialTsn, cookieBytes, report);
        QueueRawPacket(buffer.AsSpan(0, writer.Finish()).ToArray());
    }

    private void HandleInitAck(in SctpChunk chunk, long now)
    {
        if (State != SctpAssociationState.CookieWait)
        {
            return; // §5.2.3: ignore outside COOKIE-WAIT
        }

        if (!InitChunk.TryParse(chunk.Value, out var init, out string? error))
        {
            DropChunk(error!);
            return;
        }

        if (init.InitiateTag == 0 || init.OutboundStreams == 0 || init.InboundStreams == 0 || init.StateCookie.IsEmpty)
        {
            Abort("invalid INIT-ACK", SctpErrorCause.InvalidMandatoryParameter);
            return;
        }

        if (init.StateCookie.Length > _options.Mtu - SctpPacket.HeaderLength - 4)
        {
            Abort("state cookie does not fit a packet", SctpErrorCause.InvalidMandatoryParameter);
            return;
        }

        SetupTcb(init.InitiateTag, init.InitialTsn, init.AdvertisedReceiverWindow,
            Math.Min(_options.MaxStreams, init.InboundStreams), Math.Min(_options.MaxStreams, init.OutboundStreams),
            init.ForwardTsnSupported, init.ReconfigSupported);
        _cookieEcho = MakeChunk(SctpChunkType.CookieEcho, 0, init.StateCookie);
        QueueControlChunk(_cookieEcho);
        State = SctpAssociationState.CookieEchoed;
        _t1Count = 0;
        _t1Deadline = now + _rto.Rto;
    }

    private bool HandleCookieEcho(in SctpChunk chunk, uint tag, long now)
    {
        var validity = StateCookie.TryRead(chunk.Value, _cookieSecret, now, out var cookie, out long staleness);
        if (validity == StateCookie.Validity.Expired && tag == cookie.LocalTag)
        {
            // §5.2.6: Stale Cookie error carries how late the cookie was, in microseconds.
            Span<byte> measure = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(measure, (uint)Math.Min(staleness, uint.MaxValue));
            QueueRawPacket(cookie.PeerTag, SctpChunkType.Error, 0, CauseBytes(SctpErrorCause.StaleCookie, measure));
        }

        if (validity != StateCookie.Validity.Valid || tag != cookie.LocalTag)
        {
            Counters.CookiesRejected++;
            DropPacket(validity == StateCookie.Validity.Valid ? "COOKIE-ECHO tag does not match cookie" : $"cookie {validity}");
            return false;
        }

        switch (State)
        {
            case SctpAssociationState.Closed when !_everEstablished:
                _localTag = cookie.LocalTag;
                _localInitialTsn = cookie.LocalInitialTsn;
                _nextTsn = _localInitialTsn;
                _peerCumulativeAck = _localInitialTsn - 1;
                _advancedPeerAckPoint = _peerCumulativeAck;
                _nextReconfigRequestSeq = _localInitialTsn;
                break;
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                if (cookie.LocalTag != _localTag)
                {
                    DropPacket("COOKIE-ECHO for another association");
                    return false;
                }

                break;
            default:
                if (cookie.LocalTag == _localTag && cookie.PeerTag == _peerTag)
                {
                    QueueControlChunk(MakeChunk(SctpChunkType.CookieAck, 0, default)); // our COOKIE-ACK was lost
                    return true;
                }

                DropPacket("COOKIE-ECHO on an existing association");
                return false;
        }

        SetupTcb(cookie.PeerTag, cookie.PeerInitialTsn, cookie.PeerArwnd, cookie.OutboundStreams, cookie.InboundStreams,
            cookie.PeerForwardTsn, cookie.PeerReconfig);
        QueueControlChunk(MakeChunk(SctpChunkType.CookieAck, 0, default));
        _t1Deadline = long.MaxValue;
        Establish(now);
        return true;
    }

    private void HandleCookieAck(long now)
    {
        if (State != SctpAssociationState.CookieEchoed)
        {
            return;
        }

        _t1Deadline = long.MaxValue;
        _cookieEcho = null;
        Establish(now);
    }

    private void SetupTcb(uint peerTag, uint peerInitialTsn, uint peerArwnd, ushort outbound, ushort inbound, bool forwardTsn, bool reconfig)
    {
        _peerTag = peerTag;
        _tracker.Reset(peerInitialTsn);
        _peerRwnd = peerArwnd;
        _ssthresh = (int)Math.Min(peerArwnd, int.MaxValue);
        OutboundStreamCount = outbound;
        InboundStreamCount = inbound;
        _peerForwardTsn = forwardTsn;
        _peerReconfig = reconfig;
        _peerNextReconfigRequestSeq = peerInitialTsn;
        _inbound = new InboundStream?[inbound];
        _outboundSsn = new ushort[outbound];
        _outboundResetting = new bool[outbound];
        _bufferedPerStream = new long[_options.MaxStreams];
    }

    private void Establish(long now)
    {
        State = SctpAssociationState.Established;
        _everEstablished = true;
        _heartbeatDeadline = now + _options.HeartbeatIntervalMicros + _rto.Rto;
        Raise(new SctpEvent(SctpEventKind.Established));
    }

    private void OnT1Expired(long now)
    {
        _t1Deadline = long.MaxValue;
        if (++_t1Count > _options.MaxInitRetransmissions)
        {
            Terminate(State == SctpAssociationState.CookieWait ? "no answer to INIT" : "no answer to COOKIE-ECHO");
            return;
        }

        _rto.BackOff();
        if (State == SctpAssociationState.CookieWait)
        {
            QueueInit();
        }
        else if (State == SctpAssociationState.CookieEchoed && _cookieEcho is not null)
        {
            QueueControlChunk(_cookieEcho);
        }
        else
        {
            return;
        }

        _t1Deadline = now + _rto.Rto;
    }

    // Heartbeats (§8.3): probe an idle path, and count unanswered probes as errors.
    private void OnHeartbeatDue(long now)
    {
        _heartbeatDeadline = long.MaxValue;
        if (!IsEstablished)
        {
            return;
        }

        if (_heartbeatOutstanding && CountError("heartbeats unanswered"))
        {
            return;
        }

        _heartbeatSentAt = now;
        _heartbeatNonce = ((ulong)NewTag() << 32) | NewTag();
        Span<byte> info = stackalloc byte[4 + 16];
        BinaryPrimitives.WriteUInt16BigEndian(info, SctpParameterType.HeartbeatInfo);
        BinaryPrimitives.WriteUInt16BigEndian(info[2..], (ushort)info.Length);
        BinaryPrimitives.WriteInt64BigEndian(info[4..], now);
        BinaryPrimitives.WriteUInt64BigEndian(info[12..], _heartbeatNonce);
        QueueControlChunk(MakeChunk(SctpChunkType.Heartbeat, 0, info));
        _heartbeatOutstanding = true;
        Counters.HeartbeatsSent++;
        _heartbeatDeadline = now + _options.HeartbeatIntervalMicros + _rto.Rto;
    }

    private void HandleHeartbeat(in SctpChunk chunk)
    {
        if (!IsEstablished && State != SctpAssociationState.CookieEchoed)
        {
            return;
        }

        // Echo the Heartbeat Info parameter untouched (§8.3), bounded in size.
        if (chunk.Value.Length is >= 4 and <= 1024)
        {
            QueueControlChunk(MakeChunk(SctpChunkType.HeartbeatAck, 0, chunk.Value));
        }
        else
        {
            DropChunk("HEARTBEAT without a sane info parameter");
        }
    }

    private void HandleHeartbeatAck(in SctpChunk chunk, long now)
    {
        var value = chunk.Value;
        if (value.Length < 20 || BinaryPrimitives.ReadUInt16BigEndian(value) != SctpParameterType.HeartbeatInfo
            || BinaryPrimitives.ReadUInt64BigEndian(value[12..]) != _heartbeatNonce || !_heartbeatOutstanding)
        {
            DropChunk("HEARTBEAT-ACK that is not ours");
            return;
        }

        _heartbeatOutstanding = false;
        _errorCount = 0;
        Counters.HeartbeatAcksReceived++;
        _rto.AddSample(now - BinaryPrimitives.ReadInt64BigEndian(value[4..]));
    }

    /// <summary>Counts a path error; returns true when the association has failed (§8.1).</summary>
    private bool CountError(string what)
    {
        if (++_errorCount > _options.MaxRetransmissions)
        {
            Terminate($"peer unreachable: {what} {_errorCount} times");
            return true;
        }

        return false;
    }

    /// <summary>Graceful close (§9.2): sends what is queued, then SHUTDOWN.</summary>
    public void Shutdown(long nowMicros)
    {
        switch (State)
        {
            case SctpAssociationState.Established:
                State = SctpAssociationState.ShutdownPending;
                CheckShutdownProgress(nowMicros);
                break;
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                Terminate("closed before the handshake completed");
                break;
            case SctpAssociationState.Closed when !_terminated:
                Terminate("closed");
                break;
        }
    }

    /// <summary>Ends the association at once with ABORT carrying a User-Initiated Abort cause (§9.1).</summary>
    public void Abort(string reason) => Abort(reason, SctpErrorCause.UserInitiatedAbort);

    private void Abort(string reason, SctpErrorCause cause)
    {
        if (_terminated)
        {
            return;
        }

        if (State != SctpAssociationState.Closed && State != SctpAssociationState.CookieWait)
        {
            var text = Encoding.UTF8.GetBytes(reason.Length > 200 ? reason[..200] : reason);
            QueueRawPacket(_peerTag, SctpChunkType.Abort, 0, CauseBytes(cause, text));
        }

        Terminate("aborted locally: " + reason);
    }

    private static byte[] CauseBytes(SctpErrorCause cause, ReadOnlySpan<byte> info)
    {
        var bytes = new byte[(4 + info.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)cause);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)(4 + info.Length));
        info.CopyTo(bytes.AsSpan(4));
        return bytes;
    }

    private void HandleShutdown(in SctpChunk chunk, long now)
    {
        if (chunk.Value.Length < 4 || !IsEstablished)
        {
            DropChunk("SHUTDOWN malformed or unexpected");
            return;
        }

        ProcessCumulativeAck(BinaryPrimitives.ReadUInt32BigEndian(chunk.Value), now);
        switch (State)
        {
            case SctpAssociationState.Established:
            case SctpAssociationState.ShutdownPending:
                State = SctpAssociationState.ShutdownReceived;
                break;
            case SctpAssociationState.ShutdownSent:
                // Both ends closed at once (§9.2): answer with SHUTDOWN-ACK.
                State = SctpAssociationState.ShutdownReceived;
                break;
            default:
                return;
        }

        CheckShutdownProgress(now);
    }

    private void HandleShutdownAck()
    {
        if (State is SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent)
        {
            QueueRawPacket(_peerTag, SctpChunkType.ShutdownComplete, 0, default);
            Terminate("shutdown complete");
        }
    }

    /// <summary>Moves the shutdown along once nothing is left to send or to be acknowledged.</summary>
    private void CheckShutdownProgress(long now)
    {
        if (State is not (SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived) || HasUnfinishedSends)
        {
            return;
        }

        if (State == SctpAssociationState.ShutdownPending)
        {
            State = SctpAssociationState.ShutdownSent;
            SendShutdownChunk();
        }
        else
        {
            State = SctpAssociationState.ShutdownAckSent;
            QueueControlChunk(MakeChunk(SctpChunkType.ShutdownAck, 0, default));
        }

        _t2Count = 0;
        _t2Deadline = now + _rto.Rto;
        _t3Deadline = long.MaxValue;
    }

    private void SendShutdownChunk()
    {
        Span<byte> cumulative = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(cumulative, _tracker.Cumulative);
        QueueControlChunk(MakeChunk(SctpChunkType.Shutdown, 0, cumulative));
    }

    private void OnT2Expired(long now)
    {
        _t2Deadline = long.MaxValue;
        if (++_t2Count > _options.MaxRetransmissions)
        {
            Terminate("no answer to SHUTDOWN");
            return;
        }

        _rto.BackOff();
        if (State == SctpAssociationState.ShutdownSent)
        {
            SendShutdownChunk();
        }
        else if (State == SctpAssociationState.ShutdownAckSent)
        {
            QueueControlChunk(MakeChunk(SctpChunkType.ShutdownAck, 0, default));
        }
        else
        {
            return;
        }

        _t2Deadline = now + _rto.Rto;
    }
}
