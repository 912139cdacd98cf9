using System.Globalization;

namespace WebRtcAsr.Sip.Sdp;

/// <summary>An rtpmap entry: payload type → encoding/clock rate/channels (RFC 4566 §6).</summary>
public readonly record struct SdpRtpMap(int PayloadType, string Encoding, int ClockRate, int Channels);

/// <summary>One m= section of a session description with its attributes.</summary>
public sealed class SdpMedia
{
    public required string Media { get; init; }

    public required int Port { get; init; }

    public required string Protocol { get; init; }

    /// <summary>Format list in the offerer's order of preference.</summary>
    public required IReadOnlyList<string> Formats { get; init; }

    /// <summary>Media-level c= address, if any.</summary>
    public string? ConnectionAddress { get; set; }

    public List<KeyValuePair<string, string?>> Attributes { get; } = [];

    public string? Attribute(string name)
    {
        foreach (var (key, value) in Attributes)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                return value ?? string.Empty;
            }
        }

        return null;
    }

    /// <summary>The direction attribute of this section, or null when it has none.</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var (key, _) in Attributes)
            {
                switch (key)
                {
                    case "sendrecv": return SdpDirection.SendRecv;
                    case "sendonly": return SdpDirection.SendOnly;
                    case "recvonly": return SdpDirection.RecvOnly;
                    case "inactive": return SdpDirection.Inactive;
                }
            }

            return null;
        }
    }

    /// <summary>rtpmap for a payload type, falling back to the RFC 3551 static types this stack knows.</summary>
    public SdpRtpMap? RtpMap(int payloadType)
    {
        foreach (var (key, value) in Attributes)
        {
            if (key != "rtpmap" || value is null)
            {
                continue;
            }

            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt != payloadType)
            {
                continue;
            }

            var parts = value[(space + 1)..].Trim().Split('/');
            if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clock) || clock <= 0)
            {
                return null;
            }

            var channels = 1;
            if (parts.Length > 2 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels is < 1 or > 8))
            {
                return null;
            }

            return new SdpRtpMap(payloadType, parts[0], clock, channels);
        }

        return payloadType switch
        {
            0 => new SdpRtpMap(0, "PCMU", 8000, 1),
            8 => new SdpRtpMap(8, "PCMA", 8000, 1),
            _ => null,
        };
    }

    /// <summary>The fmtp parameters of a payload type, or null.</summary>
    public string? Fmtp(int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var (key, value) in Attributes)
        {
            if (key == "fmtp" && value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return value[prefix.Length..].Trim();
            }
        }

        return null;
    }
}
