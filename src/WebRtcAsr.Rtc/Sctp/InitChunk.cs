using System.Buffers.Binary;

namespace WebRtcAsr.Rtc.Sctp;

/// <summary>Fixed fields and the parameters we use of an INIT or INIT-ACK chunk (RFC 9260 §3.3.2, §3.3.3).</summary>
public readonly ref struct InitChunk
{
    public const int FixedLength = 16;

    public uint InitiateTag { get; init; }

    public uint AdvertisedReceiverWindow { get; init; }

    public ushort OutboundStreams { get; init; }

    public ushort InboundStreams { get; init; }

    public uint InitialTsn { get; init; }

    /// <summary>Peer can receive FORWARD-TSN (RFC 3758).</summary>
    public bool ForwardTsnSupported { get; init; }

    /// <summary>Peer can receive RE-CONFIG (RFC 6525).</summary>
    public bool ReconfigSupported { get; init; }

    /// <summary>The State Cookie parameter value (INIT-ACK only); empty when absent.</summary>
    public ReadOnlySpan<byte> StateCookie { get; init; }

    /// <summary>Parameters the sender asked to be reported as unrecognized (upper bits x1), raw, back to back.</summary>
    public ReadOnlySpan<byte> ParametersToReport { get; init; }

    /// <summary>Parses the chunk value; rules of RFC 9260 §3.3.2 for zero fields are checked by the caller.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out InitChunk init, out string? error)
    {
        init = default;
        if (value.Length < FixedLength)
        {
            error = "INIT shorter than its fixed fields";
            return false;
        }

        bool forwardTsn = false, reconfig = false;
        ReadOnlySpan<byte> cookie = default;
        int reportStart = -1, reportEnd = -1;
        var rest = value[FixedLength..];
        int offset = FixedLength;
        while (rest.Length >= 4)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(rest);
            int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (length < 4 || length > rest.Length)
            {
                error = $"INIT parameter length {length} outside 4..{rest.Length}";
                return false;
            }

            var body = rest[4..length];
            bool stop = false;
            switch (type)
            {
                case SctpParameterType.StateCookie:
                    cookie = body;
                    break;
                case SctpParameterType.ForwardTsnSupported:
                    forwardTsn = true;
                    break;
                case SctpParameterType.SupportedExtensions:
                    foreach (byte chunkType in body)
                    {
                        forwardTsn |= chunkType == (byte)SctpChunkType.ForwardTsn;
                        reconfig |= chunkType == (byte)SctpChunkType.Reconfig;
                    }

                    break;
                case 5: // IPv4 address
                case 6: // IPv6 address
                case SctpParameterType.CookiePreservative:
                case 11: // host name address (deprecated)
                case 12: // supported address types
                case 0x8002: // random (AUTH)
                case 0x8003: // chunk list (AUTH)
                case 0x8004: // HMAC algorithm (AUTH)
                case 0xC006: // zero checksum acceptable (RFC 9653); we always send a checksum
                    break;
                default:
                    // RFC 9260 §3.2.1: the upper two bits say whether to go on and whether to report.
                    if ((type & 0x4000) != 0)
                    {
                        if (reportStart < 0)
                        {
                            reportStart = offset;
                        }

                        reportEnd = offset + ((length + 3) & ~3);
                    }

                    stop = (type & 0x8000) == 0;
                    break;
            }

            if (stop)
            {
                break;
            }

            int padded = Math.Min((length + 3) & ~3, rest.Length);
            rest = rest[padded..];
            offset += padded;
        }

        init = new InitChunk
        {
            InitiateTag = BinaryPrimitives.ReadUInt32BigEndian(value),
            AdvertisedReceiverWindow = BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            OutboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[8..]),
            InboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[10..]),
            InitialTsn = BinaryPrimitives.ReadUInt32BigEndian(value[12..]),
            ForwardTsnSupported = forwardTsn,
            ReconfigSupported = reconfig,
            StateCookie = cookie,
            ParametersToReport = reportStart < 0 ? default : value[reportStart..Math.Min(reportEnd, value.Length)],
        };
        error = null;
        return true;
    }

    /// <summary>Writes an INIT (no cookie) or INIT-ACK (with cookie) announcing FORWARD-TSN and RE-CONFIG.</summary>
    public static void Write(ref SctpPacketWriter writer, SctpChunkType type, uint initiateTag, uint arwnd,
        ushort outboundStreams, ushort inboundStreams, uint initialTsn, scoped ReadOnlySpan<byte> cookie,
        scoped ReadOnlySpan<byte> unrecognizedParameters)
    {
        int start = writer.BeginChunk((byte)type, 0);
        writer.WriteUInt32(initiateTag);
        writer.WriteUInt32(arwnd);
        writer.WriteUInt16(outboundStreams);
        writer.WriteUInt16(inboundStreams);
        writer.WriteUInt32(initialTsn);
        writer.WriteParameter(SctpParameterType.SupportedExtensions,
            [(byte)SctpChunkType.Reconfig, (byte)SctpChunkType.ForwardTsn]);
        writer.WriteParameter(SctpParameterType.ForwardTsnSupported, default);
        if (type == SctpChunkType.InitAck)
        {
            writer.WriteParameter(SctpParameterType.StateCookie, cookie);
            if (!unrecognizedParameters.IsEmpty)
            {
                writer.WriteParameter(SctpParameterType.UnrecognizedParameter, unrecognizedParameters);
            }
        }

        writer.EndChunk(start);
    }
}
