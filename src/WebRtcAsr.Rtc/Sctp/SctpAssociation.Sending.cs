using System.Buffers;

namespace WebRtcAsr.Rtc.Sctp;

// Sending: the queue, fragmentation, bundling of chunks into packets under the congestion and
// receiver windows (RFC 9260 §6.1, §6.9, §6.10).
public sealed partial class SctpAssociation
{
    private readonly Queue<OutboundMessage> _sendQueue = new();
    private readonly List<OutboundFragment> _inflight = []; // consecutive TSNs, oldest first
    private readonly Stack<OutboundFragment> _fragmentPool = new(); // acknowledged fragments, reused
    private const int MaxPooledFragments = 1024;
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
    private bool _retransmitsPending; // some fragment may be marked NeedsRetransmit
    private OutboundFragment? _rttProbe; // one chunk timed per round trip (§6.3.1 C4, C5)
    private long _totalBuffered;
    private long[] _bufferedPerStream = [];
    private ushort[] _outboundSsn = [];
    private bool[] _outboundResetting = [];

    private int InitialCwnd => Math.Min(4 * _options.Mtu, Math.Max(2 * _options.Mtu, 4380));

    private int MaxDataPayload => _options.Mtu - SctpPacket.HeaderLength - DataChunk.HeaderLength;

    /// <summary>Bytes queued or unacknowledged on a stream (RTCDataChannel.bufferedAmount).</summary>
    public long BufferedAmount(ushort streamId) => streamId < _bufferedPerStream.Length ? _bufferedPerStream[streamId] : 0;

    /// <summary>Largest message <see cref="Send"/> accepts: the peer's limit, bounded by our send buffer.</summary>
    public int MaxSendMessageSize => _options.PeerMaxMessageSize switch
    {
        null => _options.MaxMessageSize,
        0 => _options.SendBufferLimit,
        int limit => Math.Min(limit, _options.SendBufferLimit),
    };

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

        if (message.Length > MaxSendMessageSize)
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
        while (_controlChunks.TryPeek(out var control))
        {
            if (control.Length > _options.Mtu - SctpPacket.HeaderLength)
            {
                _controlChunks.Dequeue(); // can never fit a packet; never block the queue with it
                DropChunk("control chunk larger than the MTU");
                continue;
            }

            if (control.Length > writer.Remaining)
            {
                break;
            }

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

        return _retransmitsPending;
    }

    private void WriteData(ref SctpPacketWriter writer, long now)
    {
        bool sentAny = false;

        // Retransmissions first, oldest TSN first (§6.3.3, §7.2.4).
        bool retransmitsLeft = false;
        for (int i = 0; _retransmitsPending && i < _inflight.Count; i++)
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
            if (size > writer.Remaining || (_flightBytes > 0 && _flightBytes + fragment.Length > _cwnd && !_fastRetransmitBypass))
            {
                retransmitsLeft = true;
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
        _retransmitsPending = retransmitsLeft;
        if (retransmitsLeft)
        {
            return; // new data waits until the retransmissions are out
        }

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

            var fragment = _fragmentPool.Count > 0 ? _fragmentPool.Pop() : new OutboundFragment();
            fragment.Set(message, message.NextOffset, length, _nextTsn++);
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
