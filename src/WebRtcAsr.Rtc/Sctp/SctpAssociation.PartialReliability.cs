using System.Buffers;

namespace WebRtcAsr.Rtc.Sctp;

// Partial reliability (RFC 3758): abandoning messages, FORWARD-TSN, and releasing send buffers.
public sealed partial class SctpAssociation
{
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
}
