using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

// Stream reset with RE-CONFIG (RFC 6525), which is how data channels close (RFC 8831 §6.7).
public sealed partial class SctpAssociation
{
    private const int MaxDeferredResets = 16;
    private readonly List<ushort> _pendingResets = [];
    private readonly List<(uint Seq, uint LastTsn, ushort[] Streams)> _deferredIncomingResets = [];
    private uint _nextReconfigRequestSeq;
    private uint _peerNextReconfigRequestSeq;
    private ushort[]? _outstandingReset;
    private uint _outstandingResetSeq;
    private uint _outstandingResetLastTsn;
    private bool _reconfigRequestDue;
    private long _reconfigDeadline = long.MaxValue;
    private ReconfigResult _lastPeerRequestResult;

    /// <summary>
    /// Asks to reset our outgoing streams (Outgoing SSN Reset Request). Data already queued on them
    /// goes out first; new sends are refused until <see cref="SctpEventKind.OutgoingStreamsReset"/>.
    /// </summary>
    public bool ResetStreams(ReadOnlySpan<ushort> streams)
    {
        if (!IsEstablished || State != SctpAssociationState.Established)
        {
            return false;
        }

        foreach (ushort stream in streams)
        {
            if (stream >= OutboundStreamCount)
            {
                return false;
            }
        }

        foreach (ushort stream in streams)
        {
            if (!_outboundResetting[stream])
            {
                _outboundResetting[stream] = true;
                _pendingResets.Add(stream);
            }
        }

        return true;
    }

    private void WriteReconfig(ref SctpPacketWriter writer, long now)
    {
        if (_outstandingReset is null && _pendingResets.Count > 0)
        {
            StartResetRequest();
        }

        if (!_reconfigRequestDue || _outstandingReset is null || writer.Remaining < 20 + (2 * _outstandingReset.Length) + 4)
        {
            return;
        }

        int start = writer.BeginChunk((byte)SctpChunkType.Reconfig, 0);
        writer.WriteUInt16(SctpParameterType.OutgoingSsnResetRequest);
        writer.WriteUInt16((ushort)(16 + (2 * _outstandingReset.Length)));
        writer.WriteUInt32(_outstandingResetSeq);
        writer.WriteUInt32(_peerNextReconfigRequestSeq - 1);
        writer.WriteUInt32(_outstandingResetLastTsn);
        foreach (ushort stream in _outstandingReset)
        {
            writer.WriteUInt16(stream);
        }

        writer.Pad();
        writer.EndChunk(start);
        _reconfigRequestDue = false;
        _reconfigDeadline = now + _rto.Rto;
    }

    private void StartResetRequest()
    {
        if (!_peerReconfig)
        {
            // Without RE-CONFIG the peer cannot learn of it; the streams are simply ours again.
            CompleteOutgoingReset([.. _pendingResets]);
            _pendingResets.Clear();
            return;
        }

        // Only streams whose queued messages have all been given TSNs can be reset now.
        var ready = new List<ushort>();
        foreach (ushort stream in _pendingResets)
        {
            bool queued = false;
            foreach (var message in _sendQueue)
            {
                if (message.StreamId == stream)
                {
                    queued = true;
                    break;
                }
            }

            if (!queued)
            {
                ready.Add(stream);
            }

            if (ready.Count >= 256)
            {
                break;
            }
        }

        if (ready.Count == 0)
        {
            return;
        }

        foreach (ushort stream in ready)
        {
            _pendingResets.Remove(stream);
        }

        _outstandingReset = [.. ready];
        _outstandingResetSeq = _nextReconfigRequestSeq++;
        _outstandingResetLastTsn = _nextTsn - 1;
        _reconfigRequestDue = true;
    }

    private void CompleteOutgoingReset(ushort[] streams)
    {
        foreach (ushort stream in streams)
        {
            _outboundSsn[stream] = 0;
            _outboundResetting[stream] = false;
        }

        Raise(new SctpEvent(SctpEventKind.OutgoingStreamsReset, Streams: streams));
    }

    private void HandleReconfig(in SctpChunk chunk, long now)
    {
        if (!IsEstablished)
        {
            DropChunk("RE-CONFIG before the association is up");
            return;
        }

        if (_events.Count >= 2 * _options.MaxPendingEvents)
        {
            DropChunk("RE-CONFIG while the application is not reading events");
            return; // the peer retransmits; events stay bounded
        }

        var rest = chunk.Value;
        int parameters = 0;
        while (rest.Length >= 4 && parameters++ < 2)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (length < 8 || length > rest.Length)
            {
                DropChunk("RE-CONFIG parameter with a bad length");
                return;
            }

            var body = rest[4..length];
            uint seq = BinaryPrimitives.ReadUInt32BigEndian(body);
            switch (type)
            {
                case SctpParameterType.OutgoingSsnResetRequest when body.Length >= 12:
                    HandleOutgoingResetRequest(seq, BinaryPrimitives.ReadUInt32BigEndian(body[8..]), body[12..]);
                    break;
                case SctpParameterType.IncomingSsnResetRequest:
                    HandleIncomingResetRequest(seq, body[4..]);
                    break;
                case SctpParameterType.ReconfigurationResponse when body.Length >= 8:
                    HandleReconfigResponse(seq, (ReconfigResult)BinaryPrimitives.ReadUInt32BigEndian(body[4..]), now);
                    break;
                case SctpParameterType.SsnTsnResetRequest:
                case SctpParameterType.AddOutgoingStreamsRequest:
                case SctpParameterType.AddIncomingStreamsRequest:
                    RespondToRequest(seq, ReconfigResult.Denied);
                    break;
                default:
                    DropChunk($"RE-CONFIG parameter {type} not understood");
                    break;
            }

            int padded = (length + 3) & ~3;
            rest = padded >= rest.Length ? default : rest[padded..];
        }
    }

    private void HandleOutgoingResetRequest(uint seq, uint lastTsn, ReadOnlySpan<byte> streamBytes)
    {
        if (seq == _peerNextReconfigRequestSeq - 1)
        {
            // A retransmission: answer with where that request stands now.
            RespondToRequest(seq, IsDeferred(seq) ? ReconfigResult.InProgress : ReconfigResult.SuccessPerformed);
            return;
        }

        if (seq != _peerNextReconfigRequestSeq)
        {
            RespondToRequest(seq, ReconfigResult.ErrorBadSequenceNumber);
            return;
        }

        _peerNextReconfigRequestSeq++;
        var streams = new ushort[streamBytes.Length / 2];
        int count = 0;
        for (int i = 0; i < streams.Length; i++)
        {
            ushort stream = BinaryPrimitives.ReadUInt16BigEndian(streamBytes[(2 * i)..]);
            if (stream < InboundStreamCount)
            {
                streams[count++] = stream;
            }
        }

        streams = streams[..count];
        ReconfigResult result;
        if (SerialNumber.LessOrEqual(lastTsn, _tracker.Cumulative))
        {
            ResetIncoming(streams);
            result = ReconfigResult.SuccessPerformed;
        }
        else if (_deferredIncomingResets.Count < MaxDeferredResets)
        {
            // A retry under a new sequence number replaces the request it repeats.
            _deferredIncomingResets.RemoveAll(d => d.Streams.All(s => Array.IndexOf(streams, s) >= 0));
            // §5.2.2: data up to the peer's last TSN is still on its way; reset once it has arrived.
            _deferredIncomingResets.Add((seq, lastTsn, streams));
            result = ReconfigResult.InProgress;
        }
        else
        {
            result = ReconfigResult.ErrorRequestAlreadyInProgress;
        }

        _lastPeerRequestResult = result;
        RespondToRequest(seq, result);
    }

    private void HandleIncomingResetRequest(uint seq, ReadOnlySpan<byte> streamBytes)
    {
        if (seq == _peerNextReconfigRequestSeq - 1)
        {
            RespondToRequest(seq, _lastPeerRequestResult);
            return;
        }

        if (seq != _peerNextReconfigRequestSeq)
        {
            RespondToRequest(seq, ReconfigResult.ErrorBadSequenceNumber);
            return;
        }

        _peerNextReconfigRequestSeq++;
        // The peer asks us to reset our outgoing streams: do it with our own request.
        Span<ushort> streams = stackalloc ushort[Math.Min(streamBytes.Length / 2, 256)];
        for (int i = 0; i < streams.Length; i++)
        {
            streams[i] = BinaryPrimitives.ReadUInt16BigEndian(streamBytes[(2 * i)..]);
        }

        _lastPeerRequestResult = ResetStreams(streams) ? ReconfigResult.SuccessNothingToDo : ReconfigResult.Denied;
        RespondToRequest(seq, _lastPeerRequestResult);
    }

    private void HandleReconfigResponse(uint seq, ReconfigResult result, long now)
    {
        if (_outstandingReset is null || seq != _outstandingResetSeq)
        {
            return;
        }

        if (result == ReconfigResult.InProgress)
        {
            _reconfigDeadline = now + _rto.Rto; // ask again later, same request
            return;
        }

        var streams = _outstandingReset;
        _outstandingReset = null;
        _reconfigDeadline = long.MaxValue;
        _reconfigRequestDue = false;
        if (result is not (ReconfigResult.SuccessPerformed or ReconfigResult.SuccessNothingToDo))
        {
            Counters.LastDropReason = $"peer refused stream reset: {result}";
        }

        CompleteOutgoingReset(streams);
    }

    private void RespondToRequest(uint seq, ReconfigResult result)
    {
        Span<byte> value = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(value, SctpParameterType.ReconfigurationResponse);
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], 12);
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(value[8..], (uint)result);
        QueueControlChunk(MakeChunk(SctpChunkType.Reconfig, 0, value));
    }

    private bool IsDeferred(uint seq)
    {
        foreach (var deferred in _deferredIncomingResets)
        {
            if (deferred.Seq == seq)
            {
                return true;
            }
        }

        return false;
    }

    private void ProcessDeferredResets()
    {
        for (int i = 0; i < _deferredIncomingResets.Count; i++)
        {
            var deferred = _deferredIncomingResets[i];
            if (SerialNumber.LessOrEqual(deferred.LastTsn, _tracker.Cumulative))
            {
                _deferredIncomingResets.RemoveAt(i--);
                ResetIncoming(deferred.Streams);
                if (deferred.Seq == _peerNextReconfigRequestSeq - 1)
                {
                    _lastPeerRequestResult = ReconfigResult.SuccessPerformed;
                }
            }
        }
    }

    /// <summary>The peer's outgoing streams start over at SSN 0; an empty list means all streams.</summary>
    private void ResetIncoming(ushort[] streams)
    {
        if (streams.Length == 0)
        {
            for (int s = 0; s < _inbound.Length; s++)
            {
                _receiveBytesHeld -= _inbound[s]?.Reset() ?? 0;
            }
        }

        foreach (ushort stream in streams)
        {
            _receiveBytesHeld -= _inbound[stream]?.Reset() ?? 0;
        }

        Raise(new SctpEvent(SctpEventKind.IncomingStreamsReset, Streams: streams));
    }
}
