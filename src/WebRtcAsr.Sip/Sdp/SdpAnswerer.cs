using System.Globalization;
using System.Net;
using System.Text;

namespace WebRtcAsr.Sip.Sdp;

/// <summary>
/// Telephony offer/answer (RFC 3264): accepts the first usable m=audio RTP/AVP stream, keeps PCMU/PCMA in the
/// caller's order (Opus first when preferred and offered), adds telephone-event (RFC 4733) with the caller's
/// payload type when offered, rejects other streams with port 0, and answers with our address, port,
/// ptime, rtcp (port+1) and a direction that fits (we receive; recvonly unless configured sendrecv).
/// Hold is an offer of sendonly/inactive or a 0.0.0.0 connection address (RFC 3264 §8.4, RFC 2543 style).
/// </summary>
public static class SdpAnswerer
{
    public static bool TryAnswer(SdpSession offer, SdpAnswerOptions options, out string answer, out SipMediaSession media, out string? reason)
    {
        answer = string.Empty;
        media = null!;
        SdpMedia? chosen = null;
        List<NegotiatedCodec>? codecs = null;
        NegotiatedCodec? telephoneEvent = null;
        foreach (var m in offer.Media)
        {
            if (m.Media != "audio" || m.Port == 0 || m.Protocol != "RTP/AVP")
            {
                continue;
            }

            codecs = SelectCodecs(m, options.PreferOpus);
            if (codecs.Count == 0)
            {
                continue;
            }

            chosen = m;
            var clock = codecs[0].ClockRate;
            foreach (var format in m.Formats)
            {
                if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && m.RtpMap(pt) is { } map
                    && string.Equals(map.Encoding, "telephone-event", StringComparison.OrdinalIgnoreCase) && map.ClockRate == clock)
                {
                    telephoneEvent = new NegotiatedCodec(pt, "telephone-event", map.ClockRate, 1, m.Fmtp(pt) ?? "0-16");
                    break;
                }
            }

            break;
        }

        if (chosen is null || codecs is null)
        {
            reason = "no audio stream with PCMU, PCMA or Opus over RTP/AVP";
            return false;
        }

        var remoteDirection = offer.DirectionOf(chosen);
        var connection = offer.ConnectionOf(chosen);
        if (connection is null || !IPAddress.TryParse(connection, out var remoteAddress))
        {
            reason = "no connection address for the audio stream";
            return false;
        }

        var nullAddress = remoteAddress.Equals(IPAddress.Any) || remoteAddress.Equals(IPAddress.IPv6Any);
        var onHold = nullAddress || remoteDirection is SdpDirection.SendOnly or SdpDirection.Inactive;
        var ptime = int.TryParse(chosen.Attribute("ptime"), NumberStyles.None, CultureInfo.InvariantCulture, out var offeredPtime) && offeredPtime is >= 10 and <= 120
            ? offeredPtime
            : options.PacketTimeMs;
        var rtcpPort = chosen.Port + 1;
        if (chosen.Attribute("rtcp") is { } rtcp && int.TryParse(rtcp.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535)
        {
            rtcpPort = p;
        }

        var ourDirection = (remoteDirection, options.AnswerSendRecv) switch
        {
            (SdpDirection.Inactive, _) or (SdpDirection.RecvOnly, false) => SdpDirection.Inactive,
            (SdpDirection.RecvOnly, true) => SdpDirection.SendOnly,
            (SdpDirection.SendOnly, _) or (_, false) => SdpDirection.RecvOnly,
            _ => SdpDirection.SendRecv,
        };

        media = new SipMediaSession(
            options.LocalPort,
            nullAddress ? null : new IPEndPoint(remoteAddress, chosen.Port),
            nullAddress ? null : new IPEndPoint(remoteAddress, rtcpPort),
            remoteDirection,
            onHold,
            codecs,
            telephoneEvent,
            ptime);

        var builder = Header(options);
        foreach (var m in offer.Media)
        {
            if (ReferenceEquals(m, chosen))
            {
                AppendAudio(builder, options, codecs, telephoneEvent, ptime, ourDirection);
            }
            else
            {
                // Rejected streams keep their place with port 0 (RFC 3264 §6).
                builder.Append("m=").Append(m.Media).Append(" 0 ").Append(m.Protocol).Append(' ').Append(string.Join(' ', m.Formats)).Append("\r\n");
            }
        }

        answer = builder.ToString();
        reason = null;
        return true;
    }

    /// <summary>Our own offer (for INVITEs without SDP, RFC 3261 §13.2.1 delayed offer): PCMU, PCMA, telephone-event 101.</summary>
    public static string CreateOffer(SdpAnswerOptions options)
    {
        var builder = Header(options);
        NegotiatedCodec[] codecs = [new(0, "PCMU", 8000, 1, null), new(8, "PCMA", 8000, 1, null)];
        AppendAudio(builder, options, codecs, new NegotiatedCodec(101, "telephone-event", 8000, 1, "0-16"), options.PacketTimeMs,
            options.AnswerSendRecv ? SdpDirection.SendRecv : SdpDirection.RecvOnly);
        return builder.ToString();
    }

    private static List<NegotiatedCodec> SelectCodecs(SdpMedia m, bool preferOpus)
    {
        var codecs = new List<NegotiatedCodec>();
        foreach (var format in m.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127 || m.RtpMap(pt) is not { } map)
            {
                continue;
            }

            var isG711 = map.ClockRate == 8000 && map.Channels == 1
                && (string.Equals(map.Encoding, "PCMU", StringComparison.OrdinalIgnoreCase) || string.Equals(map.Encoding, "PCMA", StringComparison.OrdinalIgnoreCase));
            var isOpus = preferOpus && string.Equals(map.Encoding, "opus", StringComparison.OrdinalIgnoreCase) && map.ClockRate == 48000;
            if (isOpus && !codecs.Exists(c => c.Encoding == "opus"))
            {
                codecs.Insert(0, new NegotiatedCodec(pt, "opus", 48000, map.Channels, m.Fmtp(pt)));
            }
            else if (isG711 && !codecs.Exists(c => string.Equals(c.Encoding, map.Encoding, StringComparison.OrdinalIgnoreCase)))
            {
                codecs.Add(new NegotiatedCodec(pt, map.Encoding.ToUpperInvariant(), 8000, 1, null));
            }
        }

        // Opus runs at 48 kHz; G.711 offered alongside stays in the answer only when Opus was not chosen.
        return codecs.Count > 0 && codecs[0].Encoding == "opus" ? [codecs[0]] : codecs;
    }

    private static StringBuilder Header(SdpAnswerOptions options)
    {
        var ip = options.MediaAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var address = options.MediaAddress.ToString();
        return new StringBuilder(256)
            .Append("v=0\r\n")
            .Append(CultureInfo.InvariantCulture, $"o=WebRtcAsr {options.SessionId} {options.SessionVersion} IN {ip} {address}\r\n")
            .Append("s=WebRtcAsr\r\n")
            .Append(CultureInfo.InvariantCulture, $"c=IN {ip} {address}\r\n")
            .Append("t=0 0\r\n");
    }

    private static void AppendAudio(StringBuilder builder, SdpAnswerOptions options, IReadOnlyList<NegotiatedCodec> codecs, NegotiatedCodec? telephoneEvent, int ptime, SdpDirection direction)
    {
        builder.Append(CultureInfo.InvariantCulture, $"m=audio {options.LocalPort} RTP/AVP");
        foreach (var codec in codecs)
        {
            builder.Append(' ').Append(codec.PayloadType.ToString(CultureInfo.InvariantCulture));
        }

        if (telephoneEvent is not null)
        {
            builder.Append(' ').Append(telephoneEvent.PayloadType.ToString(CultureInfo.InvariantCulture));
        }

        builder.Append("\r\n");
        foreach (var codec in codecs)
        {
            builder.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.Encoding}/{codec.ClockRate}");
            if (codec.Channels > 1)
            {
                builder.Append(CultureInfo.InvariantCulture, $"/{codec.Channels}");
            }

            builder.Append("\r\n");
            if (codec.Fmtp is not null)
            {
                builder.Append(CultureInfo.InvariantCulture, $"a=fmtp:{codec.PayloadType} {codec.Fmtp}\r\n");
            }
        }

        if (telephoneEvent is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{telephoneEvent.PayloadType} telephone-event/{telephoneEvent.ClockRate}\r\n");
            builder.Append(CultureInfo.InvariantCulture, $"a=fmtp:{telephoneEvent.PayloadType} {telephoneEvent.Fmtp ?? "0-16"}\r\n");
        }

        builder.Append(CultureInfo.InvariantCulture, $"a=ptime:{ptime}\r\n");
        builder.Append(CultureInfo.InvariantCulture, $"a=rtcp:{options.LocalPort + 1}\r\n");
        builder.Append(direction switch
        {
            SdpDirection.SendOnly => "a=sendonly\r\n",
            SdpDirection.RecvOnly => "a=recvonly\r\n",
            SdpDirection.Inactive => "a=inactive\r\n",
            _ => "a=sendrecv\r\n",
        });
    }
}
