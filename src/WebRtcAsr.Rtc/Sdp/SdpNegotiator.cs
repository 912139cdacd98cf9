using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>
/// Answers a WebRTC offer as this server does: ICE-lite, DTLS server (setup:passive), audio
/// received only (Opus, else/also G.711), an optional data channel, everything BUNDLEd on one
/// transport. Offers it cannot serve are refused with a reason rather than half-answered.
/// </summary>
public static class SdpNegotiator
{
    private const string OpusFmtp = "minptime=10;useinbandfec=1";

    public static SdpNegotiationResult Negotiate(string offerSdp, SdpAnswerOptions options)
    {
        if (!SdpParser.TryParse(offerSdp, out var offer, out var error))
        {
            return SdpNegotiationResult.Refused($"offer is not valid SDP: {error}");
        }

        return Negotiate(offer!, options);
    }

    public static SdpNegotiationResult Negotiate(SdpSessionDescription offer, SdpAnswerOptions options)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);

        var audio = offer.Media.Find(m => m.Media == "audio" && !m.IsRejected);
        if (audio is null)
        {
            return SdpNegotiationResult.Refused("offer has no audio m-line");
        }

        if (!audio.IsDtlsSrtp)
        {
            return SdpNegotiationResult.Refused($"audio uses {audio.Protocol}, not DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
        }

        var direction = DirectionOf(offer, audio);
        if (!SdpDirections.Sends(direction))
        {
            return SdpNegotiationResult.Refused($"offered audio is {SdpDirections.Name(direction)}: the browser would send nothing");
        }

        var bundle = offer.BundleGroup;
        if (bundle is null && offer.Media.Count > 1)
        {
            return SdpNegotiationResult.Refused("offer has several m-lines but no a=group:BUNDLE; this server serves one transport per peer");
        }

        if (bundle is not null && (audio.Mid is null || !bundle.Contains(audio.Mid)))
        {
            return SdpNegotiationResult.Refused("the audio m-line is not in the BUNDLE group");
        }

        if (!audio.HasAttribute("rtcp-mux"))
        {
            return SdpNegotiationResult.Refused("offer lacks a=rtcp-mux; this server multiplexes RTP and RTCP on one component");
        }

        var codecs = SelectAudioCodecs(audio, options);
        if (codecs.Count == 0)
        {
            return SdpNegotiationResult.Refused("offer has no codec this server decodes (Opus, PCMU, PCMA)");
        }

        var audioLevel = audio.ExtMaps.FirstOrDefault(e => e.Uri == SdpExtMap.AudioLevelUri
            && e.Direction is null or SdpDirection.SendRecv or SdpDirection.SendOnly);

        SdpMediaDescription? data = null;
        if (options.AcceptDataChannel)
        {
            data = offer.Media.Find(m => m.Media == "application" && m.IsDataChannel && !m.IsRejected
                && m.SctpPort is not null && (bundle is null || (m.Mid is not null && bundle.Contains(m.Mid))));
        }

        // The answer's BUNDLE group keeps the offer's order; its first mid is the tagged section
        // whose transport (ICE credentials, fingerprint, setup) carries everything (RFC 8843 7.3).
        var accepted = new List<SdpMediaDescription> { audio };
        if (data is not null)
        {
            accepted.Add(data);
        }

        if (bundle is not null)
        {
            accepted.Sort((x, y) => IndexIn(bundle, x.Mid).CompareTo(IndexIn(bundle, y.Mid)));
        }

        var tag = accepted[0];
        var bundleMids = accepted.Where(m => m.Mid is not null).Select(m => m.Mid!).ToList();

        string? ufrag = offer.GetTransportAttribute(tag, "ice-ufrag");
        string? pwd = offer.GetTransportAttribute(tag, "ice-pwd");
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            return SdpNegotiationResult.Refused("offer lacks a=ice-ufrag or a=ice-pwd");
        }

        // RFC 8839 5.4: ufrag 4-256 and pwd 22-256 ice-chars; be lenient on content, strict on bounds.
        if (ufrag.Length > 256 || pwd.Length > 256)
        {
            return SdpNegotiationResult.Refused("offer's ICE credentials are too long");
        }

        var fingerprints = offer.GetFingerprints(tag);
        if (fingerprints.Count == 0)
        {
            return SdpNegotiationResult.Refused("offer lacks a=fingerprint");
        }

        string setup = offer.GetTransportAttribute(tag, "setup") ?? "actpass";
        if (setup is not ("actpass" or "active"))
        {
            return SdpNegotiationResult.Refused($"offer has a=setup:{setup}; this server is always the DTLS server (setup:passive)");
        }

        var answer = new SdpSessionDescription
        {
            Origin = string.Create(CultureInfo.InvariantCulture, $"- {options.SessionId} {options.SessionVersion} IN IP4 0.0.0.0"),
            SessionName = "-",
            Timing = "0 0",
        };
        if (bundle is not null)
        {
            answer.Attributes.Add(new SdpAttribute("group", "BUNDLE " + string.Join(' ', bundleMids)));
        }

        if (offer.HasAttribute("extmap-allow-mixed"))
        {
            answer.Attributes.Add(new SdpAttribute("extmap-allow-mixed"));
        }

        answer.Attributes.Add(new SdpAttribute("ice-lite"));
        answer.Attributes.Add(new SdpAttribute("msid-semantic", " WMS"));

        foreach (var media in offer.Media)
        {
            if (media == audio)
            {
                answer.Media.Add(AnswerAudio(media, codecs, audioLevel, options, media == tag));
            }
            else if (media == data)
            {
                answer.Media.Add(AnswerDataChannel(media, options, media == tag));
            }
            else
            {
                answer.Media.Add(Reject(media));
            }
        }

        // With BUNDLE only the tagged section's transport is used: its candidates are the ones that count.
        var remoteCandidates = tag.Candidates;

        return SdpNegotiationResult.Accepted(
            SdpWriter.Write(answer),
            ufrag,
            pwd,
            fingerprints,
            setup,
            remoteCandidates,
            audio.Mid,
            codecs,
            audioLevel?.Id,
            audio.Ssrcs,
            data?.Mid,
            data?.SctpPort,
            data?.MaxMessageSize,
            bundleMids);
    }

    /// <summary>The media's direction attribute, else the session's, else sendrecv (RFC 8866 6.7).</summary>
    private static SdpDirection DirectionOf(SdpSessionDescription offer, SdpMediaDescription media)
    {
        if (media.Attributes.Exists(a => a.Value is null && SdpDirections.TryParse(a.Name, out _)))
        {
            return media.Direction;
        }

        foreach (var attribute in offer.Attributes)
        {
            if (attribute.Value is null && SdpDirections.TryParse(attribute.Name, out var sessionDirection))
            {
                return sessionDirection;
            }
        }

        return SdpDirection.SendRecv;
    }

    private static int IndexIn(IReadOnlyList<string> group, string? mid)
    {
        for (int i = 0; i < group.Count; i++)
        {
            if (group[i] == mid)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static List<SdpRtpMap> SelectAudioCodecs(SdpMediaDescription audio, SdpAnswerOptions options)
    {
        var offered = audio.RtpMaps;
        var opus = offered.FirstOrDefault(m => m.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)
            && m.ClockRate == 48000 && m.Channels == 2);
        var selected = new List<SdpRtpMap>();
        if (opus is not null)
        {
            selected.Add(opus);
        }

        if (opus is null || options.AcceptG711WithOpus)
        {
            foreach (string name in new[] { "PCMU", "PCMA" })
            {
                var g711 = offered.FirstOrDefault(m => m.EncodingName.Equals(name, StringComparison.OrdinalIgnoreCase)
                    && m.ClockRate == 8000 && m.Channels == 1);
                if (g711 is not null)
                {
                    selected.Add(g711);
                }
            }
        }

        return selected;
    }

    private static SdpMediaDescription AnswerAudio(SdpMediaDescription offer, List<SdpRtpMap> codecs, SdpExtMap? audioLevel, SdpAnswerOptions options, bool withCandidates)
    {
        var formats = codecs.Select(c => c.PayloadType.ToString(CultureInfo.InvariantCulture)).ToList();
        var media = NewAcceptedSection(offer, formats, options, withCandidates);
        if (audioLevel is not null)
        {
            var direction = audioLevel.Direction == SdpDirection.SendOnly ? SdpDirection.RecvOnly : (SdpDirection?)null;
            media.Attributes.Add(new SdpAttribute("extmap", new SdpExtMap(audioLevel.Id, direction, audioLevel.Uri).ToValue()));
        }

        media.Attributes.Add(new SdpAttribute("recvonly"));
        media.Attributes.Add(new SdpAttribute("rtcp-mux"));
        foreach (var codec in codecs)
        {
            media.Attributes.Add(new SdpAttribute("rtpmap", codec.ToValue()));
            if (codec.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase))
            {
                media.Attributes.Add(new SdpAttribute("fmtp", $"{codec.PayloadType.ToString(CultureInfo.InvariantCulture)} {OpusFmtp}"));
            }
        }

        return media;
    }

    private static SdpMediaDescription AnswerDataChannel(SdpMediaDescription offer, SdpAnswerOptions options, bool withCandidates)
    {
        bool legacy = offer.Protocol == "DTLS/SCTP";
        string sctpPort = options.SctpPort.ToString(CultureInfo.InvariantCulture);
        var media = NewAcceptedSection(offer, [legacy ? sctpPort : "webrtc-datachannel"], options, withCandidates);
        if (legacy)
        {
            // The pre-RFC 8841 form older aiortc and browsers use: a=sctpmap:port app streams.
            media.Attributes.Add(new SdpAttribute("sctpmap", $"{sctpPort} webrtc-datachannel 1024"));
        }
        else
        {
            media.Attributes.Add(new SdpAttribute("sctp-port", sctpPort));
        }

        media.Attributes.Add(new SdpAttribute("max-message-size", options.MaxMessageSize.ToString(CultureInfo.InvariantCulture)));
        return media;
    }

    private static SdpMediaDescription NewAcceptedSection(SdpMediaDescription offer, IReadOnlyList<string> formats, SdpAnswerOptions options, bool withCandidates)
    {
        var candidates = options.EffectiveCandidates;
        var first = candidates.Count > 0 ? candidates[0] : null;
        var media = new SdpMediaDescription(offer.Media, first?.Port ?? 9, offer.Protocol, formats)
        {
            Connection = ConnectionLine(first?.Address),
        };
        if (withCandidates)
        {
            for (int i = 0; i < candidates.Count; i++)
            {
                media.Attributes.Add(new SdpAttribute("candidate", HostCandidate(candidates[i], i).ToValue()["candidate:".Length..]));
            }

            media.Attributes.Add(new SdpAttribute("end-of-candidates"));
        }

        media.Attributes.Add(new SdpAttribute("ice-ufrag", options.IceUfrag));
        media.Attributes.Add(new SdpAttribute("ice-pwd", options.IcePwd));
        media.Attributes.Add(new SdpAttribute("fingerprint", options.Fingerprint.ToValue()));
        media.Attributes.Add(new SdpAttribute("setup", "passive"));
        if (offer.Mid is not null)
        {
            media.Attributes.Add(new SdpAttribute("mid", offer.Mid));
        }

        return media;
    }

    /// <summary>A host candidate for one of our addresses; earlier addresses get higher local preference.</summary>
    public static SdpCandidate HostCandidate(IPEndPoint endPoint, int index)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        int localPreference = Math.Max(0, 65535 - index);
        return new SdpCandidate(
            Foundation: (index + 1).ToString(CultureInfo.InvariantCulture),
            Component: 1,
            Transport: "udp",
            Priority: SdpCandidate.ComputePriority(126, localPreference, 1),
            Address: endPoint.Address.ToString(),
            Port: endPoint.Port,
            Type: "host");
    }

    private static SdpMediaDescription Reject(SdpMediaDescription offer)
    {
        // JSEP 5.3.1: a rejected section keeps its media, protocol and formats, with port 0.
        var media = new SdpMediaDescription(offer.Media, 0, offer.Protocol, offer.Formats.Count > 0 ? offer.Formats : ["0"])
        {
            Connection = "IN IP4 0.0.0.0",
        };
        if (offer.Mid is not null)
        {
            media.Attributes.Add(new SdpAttribute("mid", offer.Mid));
        }

        return media;
    }

    private static string ConnectionLine(IPAddress? address) => address switch
    {
        null => "IN IP4 0.0.0.0",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"IN IP6 {address}",
        _ => $"IN IP4 {address}",
    };
}
