using System.Globalization;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>One media description: the "m=" line and the lines up to the next one (RFC 8866 5.14).</summary>
public sealed class SdpMediaDescription
{
    public SdpMediaDescription(string media, int port, string protocol, IReadOnlyList<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = formats;
    }

    /// <summary>"audio", "video", "application", ...</summary>
    public string Media { get; }

    /// <summary>Port; 0 marks a rejected or disabled section.</summary>
    public int Port { get; set; }

    public int? PortCount { get; init; }

    /// <summary>"UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP", "DTLS/SCTP", ...</summary>
    public string Protocol { get; }

    /// <summary>Payload type numbers (RTP) or "webrtc-datachannel" / SCTP port (data channels).</summary>
    public IReadOnlyList<string> Formats { get; }

    /// <summary>The "c=" line value of this section ("IN IP4 0.0.0.0").</summary>
    public string? Connection { get; set; }

    public List<string> Bandwidths { get; } = [];

    public List<SdpAttribute> Attributes { get; } = [];

    public string? GetAttribute(string name) => Attributes.Find(a => a.Name == name)?.Value;

    public bool HasAttribute(string name) => Attributes.Exists(a => a.Name == name);

    public IEnumerable<string> GetAttributes(string name)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == name && attribute.Value is not null)
            {
                yield return attribute.Value;
            }
        }
    }

    public string? Mid => GetAttribute("mid");

    public bool IsRejected => Port == 0 && !HasAttribute("bundle-only");

    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.Ordinal);

    /// <summary>Whether the protocol is DTLS-SRTP (UDP/TLS/RTP/SAVP[F]) as WebRTC requires.</summary>
    public bool IsDtlsSrtp => Protocol.Contains("TLS/RTP/SAVP", StringComparison.Ordinal);

    public bool IsDataChannel => Protocol.EndsWith("DTLS/SCTP", StringComparison.Ordinal);

    /// <summary>The direction attribute; sendrecv when absent (RFC 8866 6.7).</summary>
    public SdpDirection Direction
    {
        get
        {
            foreach (var attribute in Attributes)
            {
                if (attribute.Value is null && SdpDirections.TryParse(attribute.Name, out var direction))
                {
                    return direction;
                }
            }

            return SdpDirection.SendRecv;
        }
    }

    /// <summary>rtpmap entries for the listed formats, including static types listed without one.</summary>
    public IReadOnlyList<SdpRtpMap> RtpMaps
    {
        get
        {
            var maps = new List<SdpRtpMap>();
            foreach (string format in Formats)
            {
                if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
                {
                    continue;
                }

                SdpRtpMap? map = null;
                foreach (string value in GetAttributes("rtpmap"))
                {
                    if (SdpRtpMap.TryParse(value, out var m) && m!.PayloadType == pt)
                    {
                        map = m;
                        break;
                    }
                }

                map ??= SdpRtpMap.Static(pt);
                if (map is not null)
                {
                    maps.Add(map);
                }
            }

            return maps;
        }
    }

    /// <summary>The fmtp parameters of a payload type, or null.</summary>
    public string? GetFmtp(int payloadType)
    {
        string prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (string value in GetAttributes("fmtp"))
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return value[prefix.Length..].Trim();
            }
        }

        return null;
    }

    public IReadOnlyList<SdpExtMap> ExtMaps => Parse<SdpExtMap>("extmap", SdpExtMap.TryParse);

    public IReadOnlyList<SdpCandidate> Candidates => Parse<SdpCandidate>("candidate", SdpCandidate.TryParse);

    public IReadOnlyList<SdpFingerprint> Fingerprints => Parse<SdpFingerprint>("fingerprint", SdpFingerprint.TryParse);

    /// <summary>SSRCs announced by "a=ssrc:" lines, in order, without duplicates.</summary>
    public IReadOnlyList<uint> Ssrcs
    {
        get
        {
            var ssrcs = new List<uint>();
            foreach (string value in GetAttributes("ssrc"))
            {
                int space = value.IndexOf(' ', StringComparison.Ordinal);
                string number = space < 0 ? value : value[..space];
                if (uint.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc) && !ssrcs.Contains(ssrc))
                {
                    ssrcs.Add(ssrc);
                }
            }

            return ssrcs;
        }
    }

    /// <summary>"a=ssrc-group:SEMANTICS ssrc..." lines (RFC 5576 4.2), e.g. FID for RTX.</summary>
    public IReadOnlyList<(string Semantics, IReadOnlyList<uint> Ssrcs)> SsrcGroups
    {
        get
        {
            var groups = new List<(string, IReadOnlyList<uint>)>();
            foreach (string value in GetAttributes("ssrc-group"))
            {
                string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var ssrcs = new List<uint>();
                foreach (string part in parts.Skip(1))
                {
                    if (uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
                    {
                        ssrcs.Add(ssrc);
                    }
                }

                if (parts.Length > 0)
                {
                    groups.Add((parts[0], ssrcs));
                }
            }

            return groups;
        }
    }

    /// <summary>The SCTP port: "a=sctp-port" (RFC 8841), or the legacy "DTLS/SCTP &lt;port&gt;" format.</summary>
    public int? SctpPort
    {
        get
        {
            if (int.TryParse(GetAttribute("sctp-port"), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            {
                return port;
            }

            if (Protocol == "DTLS/SCTP" && Formats.Count > 0 && int.TryParse(Formats[0], NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                return port;
            }

            return null;
        }
    }

    public long? MaxMessageSize =>
        long.TryParse(GetAttribute("max-message-size"), NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size : null;

    private delegate bool TryParser<T>(string value, out T? result);

    private List<T> Parse<T>(string name, TryParser<T> parser)
        where T : class
    {
        var list = new List<T>();
        foreach (string value in GetAttributes(name))
        {
            if (parser(value, out var item))
            {
                list.Add(item!);
            }
        }

        return list;
    }
}
