using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

// Receiving: DATA acceptance and reassembly, FORWARD-TSN, SACK generation (RFC 9260 §6.2, §6.7; RFC 3758 §3.6).
public sealed partial class SctpAssociation
{
    private readonly ReceivedTsnTracker _tracker;
    private InboundStream?[] _inbound = [];
    private long _receiveBytesHeld;
    private bool _sackNeeded;
    private long _delayedAckDeadline = long.MaxValue;
    private int _dataPacketsSinceSack;
    private uint _lastAdvertisedRwnd;

    /// <summary>Our receiver window: what is left of the receive buffer.</summary>
    private uint AdvertisedWindow() => (uint)Math.Max(0, _options.ReceiveBufferLimit - _receiveBytesHeld);

    private bool HandleData(in SctpChunk chunk, long now)
    {
        if (!IsEstablished)
        {
            DropChunk("DATA before the association is up");
            return false;
        }

        if (!DataChunk.TryParse(chunk.Flags, chunk.Value, out var data, out string? error))
        {
            DropChunk(error!);
            return false;
        }

        switch (_tracker.Check(data.Tsn))
        {
            case ReceivedTsnTracker.AddResult.Duplicate:
                _tracker.RecordDuplicate(data.Tsn);
                Counters.DuplicateTsnsReceived++;
                _sackNeeded = true;
                return true;
            case ReceivedTsnTracker.AddResult.OutOfWindow:
                DropChunk("DATA TSN far beyond the window");
                Counters.DataChunksDroppedNoRoom++;
                return true;
        }

        if (data.StreamId >= InboundStreamCount)
        {
            // §6.8: acknowledge it, drop it, and say why.
            _tracker.Add(data.Tsn);
            Span<byte> info = stackalloc byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(info, data.StreamId);
            QueueControlChunk(MakeChunk(SctpChunkType.Error, 0, CauseBytes(SctpErrorCause.InvalidStreamIdentifier, info)));
            DropChunk("DATA on a stream that was not negotiated");
            return true;
        }

        if (!HasRoomFor(data))
        {
            // No room: do not acknowledge, the peer will send it again (§6.2).
            Counters.DataChunksDroppedNoRoom++;
            return true;
        }

        var stream = _inbound[data.StreamId] ??= new InboundStream();
        _tracker.Add(data.Tsn);
        if (stream.TryTakeWhole(data, out var whole))
        {
            // The common case, a whole message that is next in line: no reassembly copy.
            _receiveBytesHeld += whole.Length;
            Raise(new SctpEvent(SctpEventKind.Message, data.StreamId, data.Ppid, whole));
        }
        else
        {
            stream.Insert(data);
            _receiveBytesHeld += data.UserData.Length;
        }

        if (_tracker.HasGaps || data.Immediate)
        {
            _sackNeeded = true; // out of order: report the gap at once (§6.7)
        }

        Deliver(data.StreamId);
        return true;
    }

    // The window is the receive buffer. Past it only the next in-order TSN is taken, so that a buffer
    // full of out-of-order fragments cannot deadlock; a hard cap of twice the buffer still holds when
    // the application stops reading.
    private bool HasRoomFor(in DataChunk data)
    {
        long held = _receiveBytesHeld + data.UserData.Length;
        if (held <= _options.ReceiveBufferLimit && _events.Count < _options.MaxPendingEvents)
        {
            return true;
        }

        return data.Tsn == _tracker.Cumulative + 1 && held <= 2L * _options.ReceiveBufferLimit
            && _events.Count < 2 * _options.MaxPendingEvents;
    }

    /// <summary>Bytes received and not yet taken by the application (reassembly plus unpolled messages).</summary>
    public long ReceiveBufferedAmount => _receiveBytesHeld;

    private void Deliver(ushort streamId)
    {
        var stream = _inbound[streamId];
        while (stream is not null && !_terminated)
        {
            var result = stream.TryTake(_options.MaxMessageSize, out var message, out uint ppid, out int freed);
            _receiveBytesHeld -= freed;
            if (result == InboundStream.Delivery.None)
            {
                return;
            }

            if (result == InboundStream.Delivery.TooLarge)
            {
                Abort($"message on stream {streamId} exceeds the maximum message size {_options.MaxMessageSize}",
                    SctpErrorCause.ProtocolViolation);
                return;
            }

            _receiveBytesHeld += message.Length; // now held by the event until it is polled
            Raise(new SctpEvent(SctpEventKind.Message, streamId, ppid, message));
        }
    }

    private void AfterDataReceived(long now)
    {
        // Delayed SACK (§6.2): at least every second packet with DATA, else within 200 ms.
        if (++_dataPacketsSinceSack >= 2 || State != SctpAssociationState.Established)
        {
            _sackNeeded = true;
        }
        else if (_delayedAckDeadline == long.MaxValue)
        {
            _delayedAckDeadline = now + _options.DelayedAckMicros;
        }

        ProcessDeferredResets();
    }

    private bool HandleForwardTsn(in SctpChunk chunk)
    {
        if (!IsEstablished)
        {
            DropChunk("FORWARD-TSN before the association is up");
            return false;
        }

        if (!ForwardTsnChunk.TryParse(chunk.Value, out var forward, out string? error))
        {
            DropChunk(error!);
            return false;
        }

        _sackNeeded = true;
        uint newCumulative = forward.NewCumulativeTsn;
        if (!_tracker.ForwardTo(newCumulative))
        {
            return true; // old news; the SACK tells the peer where we are
        }

        for (int i = 0; i < forward.StreamCount; i++)
        {
            var (streamId, ssn) = forward.Stream(i);
            if (streamId < InboundStreamCount)
            {
                var stream = _inbound[streamId] ??= new InboundStream();
                _receiveBytesHeld -= stream.SkipOrderedThrough(ssn);
            }
        }

        for (int s = 0; s < _inbound.Length; s++)
        {
            if (_inbound[s] is { } stream)
            {
                _receiveBytesHeld -= stream.DropUnorderedThrough(newCumulative);
                Deliver((ushort)s);
            }
        }

        return true;
    }

    private void WriteSack(ref SctpPacketWriter writer)
    {
        var duplicates = _tracker.Duplicates;
        int room = (writer.Remaining - 16) / 4;
        if (room < 0)
        {
            return;
        }

        int dupCount = Math.Min(duplicates.Length, room / 2);
        int maxBlocks = Math.Min(64, room - dupCount);
        Span<ushort> blocks = stackalloc ushort[128];
        int blockCount = _tracker.GapBlocks(blocks[..(2 * maxBlocks)]);
        uint window = AdvertisedWindow();

        int start = writer.BeginChunk((byte)SctpChunkType.Sack, 0);
        writer.WriteUInt32(_tracker.Cumulative);
        writer.WriteUInt32(window);
        writer.WriteUInt16((ushort)blockCount);
        writer.WriteUInt16((ushort)dupCount);
        for (int i = 0; i < blockCount * 2; i++)
        {
            writer.WriteUInt16(blocks[i]);
        }

        for (int i = 0; i < dupCount; i++)
        {
            writer.WriteUInt32(duplicates[i]);
        }

        writer.EndChunk(start);
        _tracker.ClearDuplicates();
        _sackNeeded = false;
        _delayedAckDeadline = long.MaxValue;
        _dataPacketsSinceSack = 0;
        _lastAdvertisedRwnd = window;
    }

    // Window update (§6.2): when the application drains a lot, tell the sender without waiting for data.
    private void MaybeAnnounceWindow()
    {
        if (IsEstablished && AdvertisedWindow() >= _lastAdvertisedRwnd + (uint)Math.Max(_options.Mtu, _options.ReceiveBufferLimit / 4))
        {
            _sackNeeded = true;
        }
    }
}
