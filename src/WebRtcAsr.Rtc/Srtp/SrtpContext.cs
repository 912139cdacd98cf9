using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Srtp;

/// <summary>
/// SRTP/SRTCP for one direction of one session (RFC 3711, RFC 7714): derives the session keys from
/// the master key once, keeps per-SSRC rollover and replay state, and protects or unprotects
/// packets in place with no allocation per packet. One owner; not thread-safe.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private readonly ISrtpCipher _cipher;
    private readonly SrtpContextOptions _options;
    private readonly Dictionary<uint, SrtpStreamState> _streams = [];
    private readonly bool _aead;

    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpContextOptions? options = null)
        : this(profile, SrtpSessionKeys.DeriveRtp(profile, masterKey, masterSalt), SrtpSessionKeys.DeriveRtcp(profile, masterKey, masterSalt), options)
    {
    }

    /// <summary>A context from session keys directly (what the RFC 7714 vectors give).</summary>
    internal SrtpContext(SrtpProfile profile, SrtpSessionKeys rtp, SrtpSessionKeys rtcp, SrtpContextOptions? options = null)
    {
        var p = SrtpProfileParameters.Of(profile);
        Profile = profile;
        _options = options ?? new SrtpContextOptions();
        _ = new SrtpReplayWindow(_options.ReplayWindowSize); // validates the size up front
        _aead = p.IsAead;
        _cipher = p.IsAead ? new SrtpGcmCipher(rtp, rtcp) : new SrtpCmHmacCipher(rtp, rtcp, p.RtpTagLength);
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes SRTP adds to an RTP packet.</summary>
    public int RtpOverhead => _cipher.RtpTagLength;

    /// <summary>Bytes SRTCP adds to an RTCP packet (tag plus E|index).</summary>
    public int RtcpOverhead => _cipher.RtcpTagLength + 4;

    public int StreamCount => _streams.Count;

    /// <summary>Unprotects an SRTP packet in place.</summary>
    /// <param name="packet">The whole SRTP packet; on success its front holds the RTP packet.</param>
    /// <param name="header">The parsed RTP header.</param>
    /// <param name="payloadLength">Payload bytes after <see cref="RtpPacketHeader.HeaderLength"/>, padding removed.</param>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out RtpPacketHeader header, out int payloadLength)
    {
        payloadLength = 0;
        int tag = _cipher.RtpTagLength;
        if (!RtpPacketHeader.TryParse(packet, out header))
        {
            return packet.Length < RtpPacketHeader.FixedLength ? SrtpStatus.TooShort : SrtpStatus.MalformedHeader;
        }

        if (packet.Length < header.HeaderLength + tag)
        {
            return SrtpStatus.TooShort;
        }

        _streams.TryGetValue(header.Ssrc, out var state);
        if (state is null && _streams.Count >= _options.MaxStreams)
        {
            return SrtpStatus.TooManyStreams;
        }

        long estimated = state is null ? header.SequenceNumber : state.EstimateIndex(header.SequenceNumber);
        if (estimated < 0 || (state is not null && !state.RtpReplay.Check((ulong)estimated)))
        {
            return SrtpStatus.Replayed;
        }

        ulong index = (ulong)estimated;
        if (!_cipher.UnprotectRtp(packet, header.HeaderLength, header.Ssrc, index))
        {
            return SrtpStatus.AuthenticationFailed;
        }

        if (state is null)
        {
            state = new SrtpStreamState(_options.ReplayWindowSize);
            _streams.Add(header.Ssrc, state);
        }

        state.Update(index);
        int rtpLength = packet.Length - tag;
        payloadLength = rtpLength - header.HeaderLength;
        // The padding count is the plain packet's last octet, readable only now that the tag is off.
        if (!header.Layout.TryGetPaddingLength(packet[..rtpLength], out int padding))
        {
            return SrtpStatus.MalformedHeader;
        }

        payloadLength -= padding;

        return SrtpStatus.Ok;
    }

    /// <summary>Unprotects an SRTP packet in place; <paramref name="rtpLength"/> is the plain RTP packet's length.</summary>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int rtpLength)
    {
        var status = UnprotectRtp(packet, out _, out _);
        rtpLength = status == SrtpStatus.Ok ? packet.Length - _cipher.RtpTagLength : 0;
        return status;
    }

    /// <summary>Protects the RTP packet in <paramref name="buffer"/>[0..rtpLength) in place; the buffer needs <see cref="RtpOverhead"/> spare bytes.</summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int rtpLength, out int srtpLength)
    {
        srtpLength = 0;
        if ((uint)rtpLength > (uint)buffer.Length || !RtpPacketHeader.TryParse(buffer[..rtpLength], out var header))
        {
            return SrtpStatus.MalformedHeader;
        }

        if (buffer.Length < rtpLength + _cipher.RtpTagLength)
        {
            return SrtpStatus.BufferTooSmall;
        }

        if (!TryGetOrAddStream(header.Ssrc, out var state))
        {
            return SrtpStatus.TooManyStreams;
        }

        long estimated = state.EstimateIndex(header.SequenceNumber);
        if (estimated < 0)
        {
            return SrtpStatus.Replayed;
        }

        ulong index = (ulong)estimated;
        state.Update(index);
        _cipher.ProtectRtp(buffer, rtpLength, header.HeaderLength, header.Ssrc, index);
        srtpLength = rtpLength + _cipher.RtpTagLength;
        return SrtpStatus.Ok;
    }

    /// <summary>Protects an RTCP compound packet in place (encrypted, E=1), appending E|index and the tag.</summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int rtcpLength, out int srtcpLength)
    {
        srtcpLength = 0;
        if (rtcpLength < 8 || rtcpLength > buffer.Length || (buffer[0] >> 6) != 2)
        {
            return SrtpStatus.MalformedHeader;
        }

        if (buffer.Length < rtcpLength + RtcpOverhead)
        {
            return SrtpStatus.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        if (!TryGetOrAddStream(ssrc, out var state))
        {
            return SrtpStatus.TooManyStreams;
        }

        uint index = state.NextRtcpIndex;
        state.NextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        srtcpLength = _cipher.ProtectRtcp(buffer, rtcpLength, ssrc, index);
        return SrtpStatus.Ok;
    }

    /// <summary>Unprotects an SRTCP packet in place; <paramref name="rtcpLength"/> is the plain compound packet's length.</summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int rtcpLength)
    {
        rtcpLength = 0;
        int tag = _cipher.RtcpTagLength;
        if (packet.Length < 8 + 4 + tag)
        {
            return SrtpStatus.TooShort;
        }

        if ((packet[0] >> 6) != 2)
        {
            return SrtpStatus.MalformedHeader;
        }

        // AES-CM: ... | E|index | tag.  AEAD: ... | tag | E|index.
        int trailerOffset = _aead ? packet.Length - 4 : packet.Length - tag - 4;
        int length = packet.Length - tag - 4;
        uint trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[trailerOffset..]);
        bool encrypted = (trailer & 0x80000000u) != 0;
        uint index = trailer & 0x7FFFFFFF;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);

        _streams.TryGetValue(ssrc, out var state);
        if (state is null && _streams.Count >= _options.MaxStreams)
        {
            return SrtpStatus.TooManyStreams;
        }

        if (state is not null && !state.RtcpReplay.Check(index))
        {
            return SrtpStatus.Replayed;
        }

        if (!_cipher.UnprotectRtcp(packet, length, ssrc, index, encrypted))
        {
            return SrtpStatus.AuthenticationFailed;
        }

        if (state is null)
        {
            state = new SrtpStreamState(_options.ReplayWindowSize);
            _streams.Add(ssrc, state);
        }

        state.RtcpReplay.Accept(index);
        rtcpLength = length;
        return SrtpStatus.Ok;
    }

    /// <summary>Forgets an SSRC (e.g. after RTCP BYE), freeing its slot.</summary>
    public bool RemoveStream(uint ssrc) => _streams.Remove(ssrc);

    private bool TryGetOrAddStream(uint ssrc, out SrtpStreamState state)
    {
        if (_streams.TryGetValue(ssrc, out state!))
        {
            return true;
        }

        if (_streams.Count >= _options.MaxStreams)
        {
            return false;
        }

        state = new SrtpStreamState(_options.ReplayWindowSize);
        _streams.Add(ssrc, state);
        return true;
    }

    public void Dispose() => _cipher.Dispose();
}
