using System.Buffers;

namespace WebRtcAsr.Rtc.Sctp;

// Sending: queue, fragmentation, retransmission (T3, fast retransmit), congestion control
// (RFC 9260 §6-7), and partial reliability (RFC 3758).
public sealed partial class SctpAssociation
{
    private readonly Queue<OutboundMessage> _sendQueue = new();
    private readonly List<OutboundFragment> _inflight = []; // consecutive TSNs, oldest first
    private uint _nextTsn;
    private uint _peerCumulativeAck;
    private uint _advancedPeerAckPoint;
    private bool _forwardTsnDue;
    private int _cwnd;
    private int _ssthresh;
    private int _partialBytesAcked;
    private long _peerRwnd;
    private int _flightBytes;
    private bool _inFastRecovery;
    private uint _fastRecoveryExit;
    private bool _fastRetransmitBypass;
    private OutboundFragment? _rttProbe; // one chunk timed per round trip (§6.3.1 C4, C5)
    private long _totalBuffered;
    private long[] _bufferedPerStream = [];
    private ushort[] _outboundSsn = [];
    private bool[] _outboundResetting = [];

    private int InitialCwnd => Math.Min(4 * _options.Mtu, Math.Max(2 * _options.Mtu, 4380));

    private int MaxDataPayload => _options.Mtu - SctpPacket.HeaderLength - DataChunk.HeaderLength;

    /// <summary>Bytes queued or unacknowledged on a stream (RTCDataChannel.bufferedAmount).</summary>
    public long BufferedAmount(ushort streamId) => streamId < _bufferedPerStream.Length ? _bufferedPerStream[streamId] : 0;

    /// <summary>Bytes queued or unacknowledged on all streams.</summary>
    public long TotalBufferedAmount => _totalBuffered;

    /// <summary>Data queued or in flight, which delays SHUTDOWN.</summary>
    private bool HasUnfinishedSends => _sendQueue.Count > 0 || _inflight.Count > 0;

    /// <summary>Queues one user message. The bytes are copied; the call never blocks.</summary>
    public SctpSendStatus Send(ushort streamId, uint ppid, ReadOnlySpan<byte> message, SctpSendOptions options, long nowMicros)
    {
        if (State is not (SctpAssociationState.Established or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed))
        {
            return SctpSendStatus.NotConnected;
        }

        if (message.IsEmpty)
        {
            return SctpSendStatus.EmptyMessage; // SCTP cannot carry empty user data (§6.2)
        }

        if (message.Length > _options.MaxMessageSize)
        {
            return SctpSendStatus.MessageTooLarge;
        }

        if (streamId >= _options.MaxStreams || (IsEstablished && streamId >= OutboundStreamCount))
        {
            return SctpSendStatus.InvalidStream;
        }

        if (_outboundResetting.Length > streamId && _outboundResetting[streamId])
        {
            return SctpSendStatus.StreamResetPending;
        }

        if (_totalBuffered + message.Length > _options.SendBufferLimit)
        {
            return SctpSendStatus.BufferFull;
        }

        if (_bufferedPerStream.Length == 0)
        {
            _bufferedPerStream = new long[_options.MaxStreams];
        }

        var data = ArrayPool<byte>.Shared.Rent(message.Length);
        message.CopyTo(data);
        _sendQueue.Enqueue(new OutboundMessage
        {
            Data = data,
            Length = message.Length,
            StreamId = streamId,
            Ppid = ppid,
            Unordered = options.Unordered,
            MaxRetransmits = options.MaxRetransmits is { } max ? Math.Max(0, max) : -1,
            ExpiryMicros = options.LifetimeMicros is { } life ? nowMicros + Math.Max(0, life) : long.MaxValue,
        });
        _totalBuffered += message.Length;
        _bufferedPerStream[streamId] += message.Length;
        return SctpSendStatus.Ok;
    }

    /// <summary>
    /// Writes the next packet to send into <paramref name="destination"/> (at least 128 bytes; packets
    /// are at most the MTU) and returns its length, or 0 when there is nothing to send now.
    /// </summary>
    public int PollTransmit(Span<byte> destination, long nowMicros)
    {
        if (destination.Length < 128)
        {
            throw new ArgumentException("destination must hold at least 128 bytes", nameof(destination));
        }

        if (_rawPackets.TryDequeue(out var raw))
        {
            if (raw.Length > destination.Length)
            {
                return 0;
            }

            raw.CopyTo(destination);
            Counters.PacketsSent++;
            return raw.Length;
        }

        if (_terminated || _peerTag == 0)
        {
            return 0;
        }

        var writer = new SctpPacketWriter(destination[..Math.Min(destination.Length, _options.Mtu)],
            _options.LocalPort, _options.RemotePort, _peerTag);
        while (_controlChunks.TryPeek(out var control) && control.Length <= writer.Remaining)
        {
            writer.WriteRawChunk(_controlChunks.Dequeue());
        }

        if (IsEstablished)
        {
            bool dataWaiting = HasDataToSend();
            if (_sackNeeded || (_delayedAckDeadline != long.MaxValue && dataWaiting))
            {
                WriteSack(ref writer);
            }

            if (_forwardTsnDue)
            {
                WriteForwardTsn(ref writer);
            }

            WriteReconfig(ref writer, nowMicros);
            if (dataWaiting && CanSendData)
            {
                WriteData(ref writer, nowMicros);
            }
        }

        if (writer.IsEmpty)
        {
            return 0;
        }

        Counters.PacketsSent++;
        return writer.Finish();
    }

    private bool CanSendData => State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending
        or SctpAssociationState.ShutdownReceived;

    private bool HasDataToSend()
    {
        if (_sendQueue.Count > 0)
        {
            return true;
        }

        foreach (var fragment in _inflight)
        {
            if (fragment.NeedsRetransmit)
            {
                return true;
            }
        }

        return false;
    }

    private void WriteData(ref SctpPacketWriter writer, long now)
    {
        bool sentAny = false;

        // Retransmissions first, oldest TSN first (§6.3.3, §7.2.4).
        for (int i = 0; i < _inflight.Count; i++)
        {
            var fragment = _inflight[i];
            if (!fragment.NeedsRetransmit)
            {
                continue;
            }

            if (ShouldAbandon(fragment.Message, now, fragment.TransmitCount))
            {
                AbandonMessage(fragment.Message);
                continue;
            }

            int size = DataChunk.HeaderLength + fragment.Length;
            if (size > writer.Remaining)
            {
                break;
            }

            if (_flightBytes > 0 && _flightBytes + fragment.Length > _cwnd && !_fastRetransmitBypass)
            {
                break;
            }

            WriteFragment(ref writer, fragment, now);
            Counters.DataChunksRetransmitted++;
            if (_rttProbe == fragment)
            {
                _rttProbe = null; // Karn's rule: a retransmitted chunk gives no RTT sample
            }
            sentAny = true;
        }

        _fastRetransmitBypass = false;

        // New data while the congestion and receiver windows allow.
        while (_sendQueue.TryPeek(out var message))
        {
            if (message.Abandoned || (!message.Started && now >= message.ExpiryMicros))
            {
                _sendQueue.Dequeue();
                if (!message.Abandoned)
                {
                    Counters.MessagesAbandoned++;
                    ReleaseUnsent(message);
                    ReturnIfDone(message);
                }

                continue;
            }

            if (message.StreamId < _outboundResetting.Length && _outboundResetting[message.StreamId] && !message.Started
                && _outstandingReset is not null && Array.IndexOf(_outstandingReset, message.StreamId) >= 0)
            {
                break; // the stream is being reset; its later messages wait for the new SSN space
            }

            int room = writer.Remaining - DataChunk.HeaderLength;
            int remaining = message.Length - message.NextOffset;
            int length = Math.Min(remaining, Math.Min(room, MaxDataPayload));
            if (length <= 0 || (length < remaining && length < 256 && !writer.IsEmpty && sentAny))
            {
                break; // too small a tail; start the fragment in a fresh packet
            }

            if (length <= 0)
            {
                break;
            }

            if (_flightBytes > 0 && (_flightBytes + length > _cwnd || length > _peerRwnd))
            {
                break;
            }

            if (!message.Started && !message.Unordered)
            {
                message.Ssn = _outboundSsn[message.StreamId]++;
            }

            var fragment = new OutboundFragment
            {
                Message = message,
                Offset = message.NextOffset,
                Length = length,
                Tsn = _nextTsn++,
                Beginning = message.NextOffset == 0,
                Ending = message.NextOffset + length == message.Length,
            };
            message.NextOffset += length;
            if (message.FullySent)
            {
                _sendQueue.Dequeue();
            }

            _inflight.Add(fragment);
            WriteFragment(ref writer, fragment, now);
            _rttProbe ??= fragment;
            Counters.DataChunksSent++;
            sentAny = true;
        }

        if (sentAny)
        {
            if (_t3Deadline == long.MaxValue)
            {
                _t3Deadline = now + _rto.Rto;
            }

            _heartbeatDeadline = now + _options.HeartbeatIntervalMicros + _rto.Rto;
        }
    }

    private void WriteFragment(ref SctpPacketWriter writer, OutboundFragment fragment, long now)
    {
        var message = fragment.Message;
        DataChunk.Write(ref writer, fragment.Tsn, message.StreamId, message.Unordered ? (ushort)0 : message.Ssn, message.Ppid,
            fragment.Beginning, fragment.Ending, message.Unordered, fragment.Payload);
        fragment.TransmitCount++;
        fragment.SentAtMicros = now;
        fragment.NeedsRetransmit = false;
        fragment.MissIndications = 0;
        if (!fragment.InFlight)
        {
            fragment.InFlight = true;
            _flightBytes += fragment.Length;
        }

        _peerRwnd = Math.Max(0, _peerRwnd - fragment.Length);
    }

    private void HandleSack(in SctpChunk chunk, long now)
    {
        if (!IsEstablished)
        {
            DropChunk("SACK before the association is up");
            return;
        }

        if (!SackChunk.TryParse(chunk.Value, out var sack, out string? error))
        {
            DropChunk(error!);
            return;
        }

        uint cumulative = sack.CumulativeTsnAck;
        if (SerialNumber.Less(cumulative, _peerCumulativeAck))
        {
            return; // older than what we know (§6.2.1 D)
        }

        if (SerialNumber.GreaterOrEqualNext(cumulative, _nextTsn))
        {
            DropChunk("SACK acknowledges a TSN never sent");
            return;
        }

        bool advanced = SerialNumber.Greater(cumulative, _peerCumulativeAck);
        int newlyAcked = ProcessCumulativeAck(cumulative, now);

        // Gap ack blocks.
        uint highestGapAcked = cumulative;
        for (int b = 0; b < sack.GapBlockCount && _inflight.Count > 0; b++)
        {
            var (start, end) = sack.GapBlock(b);
            if (start == 0 || end < start)
            {
                continue;
            }

            uint first = _inflight[0].Tsn;
            for (uint tsn = cumulative + start; SerialNumber.LessOrEqual(tsn, cumulative + end); tsn++)
            {
                uint index = tsn - first;
                if (index >= (uint)_inflight.Count)
                {
                    break;
                }

                var fragment = _inflight[(int)index];
                if (!fragment.GapAcked)
                {
                    if (fragment == _rttProbe)
                    {
                        TakeRttSample(fragment, now);
                    }

                    fragment.GapAcked = true;
                    fragment.NeedsRetransmit = false;
                    newlyAcked += fragment.Length;
                    if (fragment.InFlight)
                    {
                        fragment.InFlight = false;
                        _flightBytes -= fragment.Length;
                    }
                }
            }

            if (SerialNumber.Greater(cumulative + end, highestGapAcked))
            {
                highestGapAcked = cumulative + end;
            }
        }

        // Fast retransmit after three miss indications (§7.2.4).
        if (highestGapAcked != cumulative)
        {
            bool marked = false;
            foreach (var fragment in _inflight)
            {
                if (!SerialNumber.Less(fragment.Tsn, highestGapAcked))
                {
                    break;
                }

                if (fragment.GapAcked || fragment.Abandoned || fragment.NeedsRetransmit)
                {
                    continue;
                }

                if (++fragment.MissIndications >= 3)
                {
                    MarkForRetransmit(fragment);
                    marked = true;
                }
            }

            if (marked)
            {
                Counters.FastRetransmits++;
                if (!_inFastRecovery)
                {
                    _inFastRecovery = true;
                    _fastRecoveryExit = _nextTsn - 1;
                    _ssthresh = Math.Max(_cwnd / 2, 4 * _options.Mtu);
                    _cwnd = _ssthresh;
                    _partialBytesAcked = 0;
                    _fastRetransmitBypass = true;
                }
            }
        }

        if (_inFastRecovery && SerialNumber.LessOrEqual(_fastRecoveryExit, cumulative))
        {
            _inFastRecovery = false;
        }

        // Congestion window growth only when the cumulative point moved (§7.2.1, §7.2.2).
        if (advanced && newlyAcked > 0 && !_inFastRecovery)
        {
            if (_cwnd <= _ssthresh)
            {
                _cwnd += Math.Min(newlyAcked, _options.Mtu);
            }
            else
            {
                _partialBytesAcked += newlyAcked;
                if (_partialBytesAcked >= _cwnd)
                {
                    _partialBytesAcked -= _cwnd;
                    _cwnd += _options.Mtu;
                }
            }
        }

        _peerRwnd = Math.Max(0, (long)sack.AdvertisedReceiverWindow - _flightBytes);
        AfterAckProgress(now, advanced);
    }

    /// <summary>Removes everything up to the cumulative TSN ack; returns newly acknowledged bytes.</summary>
    private int ProcessCumulativeAck(uint cumulative, long now)
    {
        if (!SerialNumber.Greater(cumulative, _peerCumulativeAck) || SerialNumber.GreaterOrEqualNext(cumulative, _nextTsn))
        {
            return 0;
        }

        int newlyAcked = 0;
        int removed = 0;
        while (removed < _inflight.Count && SerialNumber.LessOrEqual(_inflight[removed].Tsn, cumulative))
        {
            var fragment = _inflight[removed++];
            if (!fragment.GapAcked && !fragment.Abandoned)
            {
                newlyAcked += fragment.Length;
            }

            if (fragment == _rttProbe)
            {
                TakeRttSample(fragment, now);
            }

            if (fragment.InFlight)
            {
                _flightBytes -= fragment.Length;
            }

            ReleaseFragment(fragment);
        }

        _inflight.RemoveRange(0, removed);
        _peerCumulativeAck = cumulative;
        if (SerialNumber.Less(_advancedPeerAckPoint, cumulative))
        {
            _advancedPeerAckPoint = cumulative;
        }

        _errorCount = 0;

        if (_inflight.Count == 0)
        {
            _flightBytes = 0;
        }

        if (State is SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived)
        {
            CheckShutdownProgress(now);
        }

        return newlyAcked;
    }

    private void AfterAckProgress(long now, bool advanced)
    {
        // PR-SCTP (RFC 3758 §3.5): move the advanced ack point over abandoned chunks and tell the peer.
        if (_peerForwardTsn)
        {
            foreach (var fragment in _inflight)
            {
                if (!fragment.Abandoned || fragment.Tsn != _advancedPeerAckPoint + 1)
                {
                    break;
                }

                _advancedPeerAckPoint = fragment.Tsn;
            }

            if (SerialNumber.Greater(_advancedPeerAckPoint, _peerCumulativeAck))
            {
                _forwardTsnDue = true;
            }
        }

        if (_inflight.Count == 0)
        {
            _t3Deadline = long.MaxValue;
        }
        else if (advanced || _t3Deadline == long.MaxValue)
        {
            _t3Deadline = now + _rto.Rto;
        }

        CheckShutdownProgress(now);
    }

    private void OnT3Expired(long now)
    {
        _t3Deadline = long.MaxValue;
        if (_inflight.Count == 0)
        {
            return;
        }

        Counters.RetransmissionTimeouts++;
        if (CountError("retransmission timeouts"))
        {
            return;
        }

        // §6.3.3 E1-E3 and §7.2.3: back off, collapse the window, resend what is outstanding.
        _rto.BackOff();
        _ssthresh = Math.Max(_cwnd / 2, 4 * _options.Mtu);
        _cwnd = _options.Mtu;
        _partialBytesAcked = 0;
        _inFastRecovery = false;
        foreach (var fragment in _inflight)
        {
            if (fragment.GapAcked || fragment.Abandoned)
            {
                continue;
            }

            if (ShouldAbandon(fragment.Message, now, fragment.TransmitCount))
            {
                AbandonMessage(fragment.Message);
                continue;
            }

            MarkForRetransmit(fragment);
        }

        AfterAckProgress(now, false);
        if (SerialNumber.Greater(_advancedPeerAckPoint, _peerCumulativeAck))
        {
            _forwardTsnDue = true;
        }

        _t3Deadline = now + _rto.Rto;
    }

    private void TakeRttSample(OutboundFragment fragment, long now)
    {
        if (fragment.TransmitCount == 1)
        {
            _rto.AddSample(now - fragment.SentAtMicros);
        }

        _rttProbe = null;
    }

    private void MarkForRetransmit(OutboundFragment fragment)
    {
        if (fragment == _rttProbe)
        {
            _rttProbe = null;
        }

        fragment.NeedsRetransmit = true;
        fragment.MissIndications = 0;
        if (fragment.InFlight)
        {
            fragment.InFlight = false;
            _flightBytes -= fragment.Length;
        }
    }

    private static bool ShouldAbandon(OutboundMessage message, long now, int transmitCount) =>
        message.Abandoned
        || (message.MaxRetransmits >= 0 && transmitCount > message.MaxRetransmits)
        || now >= message.ExpiryMicros;

    /// <summary>Gives up on a partially reliable message: its chunks will be skipped with FORWARD-TSN.</summary>
    private void AbandonMessage(OutboundMessage message)
    {
        if (message.Abandoned)
        {
            return;
        }

        message.Abandoned = true;
        Counters.MessagesAbandoned++;
        if (_rttProbe?.Message == message)
        {
            _rttProbe = null;
        }

        foreach (var fragment in _inflight)
        {
            if (fragment.Message != message)
            {
                continue;
            }

            fragment.Abandoned = true;
            fragment.NeedsRetransmit = false;
            if (fragment.InFlight)
            {
                fragment.InFlight = false;
                _flightBytes -= fragment.Length;
            }

            ReleaseFragment(fragment);
        }

        // Unsent fragments never get a TSN; the peer drops the partial message on FORWARD-TSN.
        ReleaseUnsent(message);
        message.NextOffset = message.Length;
    }

    private void ReleaseFragment(OutboundFragment fragment)
    {
        if (fragment.Released)
        {
            return;
        }

        fragment.Released = true;
        ReleaseBytes(fragment.Message, fragment.Length);
        ReturnIfDone(fragment.Message);
    }

    private void ReleaseUnsent(OutboundMessage message) => ReleaseBytes(message, message.Length - message.NextOffset);

    private void ReleaseBytes(OutboundMessage message, int bytes)
    {
        message.BytesReleased += bytes;
        _totalBuffered -= bytes;
        _bufferedPerStream[message.StreamId] -= bytes;
    }

    private static void ReturnIfDone(OutboundMessage message)
    {
        if (message.BytesReleased >= message.Length && message.Data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(message.Data);
            message.Data = [];
        }
    }

    private void WriteForwardTsn(ref SctpPacketWriter writer)
    {
        if (!SerialNumber.Greater(_advancedPeerAckPoint, _peerCumulativeAck))
        {
            _forwardTsnDue = false;
            return;
        }

        // Stream/SSN pairs of abandoned ordered messages up to the new cumulative TSN, the last per stream.
        Span<uint> pairs = stackalloc uint[64];
        int count = 0;
        foreach (var fragment in _inflight)
        {
            if (SerialNumber.Greater(fragment.Tsn, _advancedPeerAckPoint))
            {
                break;
            }

            if (fragment.Message.Unordered)
            {
                continue;
            }

            uint pair = ((uint)fragment.Message.StreamId << 16) | fragment.Message.Ssn;
            int existing = -1;
            for (int i = 0; i < count; i++)
            {
                if (pairs[i] >> 16 == fragment.Message.StreamId)
                {
                    existing = i;
                    break;
                }
            }

            if (existing >= 0)
            {
                pairs[existing] = pair;
            }
            else if (count < pairs.Length)
            {
                pairs[count++] = pair;
            }
        }

        if (writer.Remaining < 8 + (4 * count))
        {
            return;
        }

        int start = writer.BeginChunk((byte)SctpChunkType.ForwardTsn, 0);
        writer.WriteUInt32(_advancedPeerAckPoint);
        for (int i = 0; i < count; i++)
        {
            writer.WriteUInt32(pairs[i]);
        }

        writer.EndChunk(start);
        _forwardTsnDue = false;
    }

    private void ReleaseAllBuffers()
    {
        foreach (var fragment in _inflight)
        {
            ReleaseFragment(fragment);
        }

        _inflight.Clear();
        _rttProbe = null;
        while (_sendQueue.TryDequeue(out var message))
        {
            ReleaseUnsent(message);
            message.NextOffset = message.Length;
            ReturnIfDone(message);
        }

        foreach (var stream in _inbound)
        {
            stream?.Clear();
        }

        _flightBytes = 0;
    }
}
