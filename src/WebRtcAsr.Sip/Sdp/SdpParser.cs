using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Unicode;

namespace WebRtcAsr.Sip.Sdp;

/// <summary>
/// Parses session descriptions (RFC 4566): v=, o=, c=, m= and a= lines with bounded line and media counts.
/// Returns a reason on bad input; never throws.
/// </summary>
public static class SdpParser
{
    private const int MaxLines = 256;
    private const int MaxMedia = 16;
    private const int MaxFormats = 64;

    public static bool TryParse(ReadOnlySpan<byte> bytes, out SdpSession session, out string? error)
    {
        session = null!;
        if (bytes.Length > 32_768 || !Utf8.IsValid(bytes))
        {
            error = "SDP is too large or not UTF-8";
            return false;
        }

        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        if (lines.Length > MaxLines)
        {
            error = "SDP has too many lines";
            return false;
        }

        string? originUser = null;
        ulong sessionId = 0, sessionVersion = 0;
        string? sessionConnection = null;
        SdpDirection? sessionDirection = null;
        var media = new List<SdpMedia>();
        SdpMedia? current = null;
        var sawVersion = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = "SDP line is not 'x=value'";
                return false;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    if (value != "0")
                    {
                        error = "SDP version is not 0";
                        return false;
                    }

                    sawVersion = true;
                    break;
                case 'o':
                    var o = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (o.Length != 6 || !ulong.TryParse(o[1], NumberStyles.None, CultureInfo.InvariantCulture, out sessionId)
                        || !ulong.TryParse(o[2], NumberStyles.None, CultureInfo.InvariantCulture, out sessionVersion))
                    {
                        error = "SDP o= line is malformed";
                        return false;
                    }

                    originUser = o[0];
                    break;
                case 'c':
                    if (!TryParseConnection(value, out var address))
                    {
                        error = "SDP c= line is malformed";
                        return false;
                    }

                    if (current is null)
                    {
                        sessionConnection = address;
                    }
                    else
                    {
                        current.ConnectionAddress = address;
                    }

                    break;
                case 'm':
                    var m = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var portText = m.Length > 0 && m.Length >= 3 ? m[1].Split('/')[0] : string.Empty;
                    if (m.Length < 4 || m.Length - 3 > MaxFormats || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
                    {
                        error = "SDP m= line is malformed";
                        return false;
                    }

                    if (media.Count >= MaxMedia)
                    {
                        error = "SDP has too many m= lines";
                        return false;
                    }

                    current = new SdpMedia { Media = m[0], Port = port, Protocol = m[2], Formats = m[3..] };
                    media.Add(current);
                    break;
                case 'a':
                    var colon = value.IndexOf(':', StringComparison.Ordinal);
                    var attribute = colon < 0 ? new KeyValuePair<string, string?>(value, null) : new(value[..colon], value[(colon + 1)..]);
                    if (current is null)
                    {
                        sessionDirection = attribute.Key switch
                        {
                            "sendrecv" => SdpDirection.SendRecv,
                            "sendonly" => SdpDirection.SendOnly,
                            "recvonly" => SdpDirection.RecvOnly,
                            "inactive" => SdpDirection.Inactive,
                            _ => sessionDirection,
                        };
                    }
                    else
                    {
                        current.Attributes.Add(attribute);
                    }

                    break;
            }
        }

        if (!sawVersion || originUser is null)
        {
            error = "SDP lacks v= or o=";
            return false;
        }

        session = new SdpSession
        {
            OriginUser = originUser,
            SessionId = sessionId,
            SessionVersion = sessionVersion,
            ConnectionAddress = sessionConnection,
            Direction = sessionDirection,
            Media = media,
        };
        error = null;
        return true;
    }

    private static bool TryParseConnection(string value, out string address)
    {
        address = string.Empty;
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "IN" || parts[1] is not ("IP4" or "IP6"))
        {
            return false;
        }

        // Multicast TTL/count suffixes are not for telephony; the address itself must be a literal.
        address = parts[2].Split('/')[0];
        return IPAddress.TryParse(address, out _);
    }
}
