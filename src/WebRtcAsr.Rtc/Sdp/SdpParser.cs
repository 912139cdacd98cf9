using System.Globalization;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>
/// Parses SDP text (RFC 8866) into <see cref="SdpSessionDescription"/>, tolerating what browsers and
/// aiortc emit: CRLF or bare LF line ends, blank lines, unknown line types and attributes (kept
/// verbatim). Never throws; an input over the limits, or without the lines every description
/// must have, yields a reason.
/// </summary>
public static class SdpParser
{
    public static bool TryParse(string text, out SdpSessionDescription? description, out string? error) =>
        TryParse(text, SdpParserLimits.Default, out description, out error);

    public static bool TryParse(string text, SdpParserLimits limits, out SdpSessionDescription? description, out string? error)
    {
        description = null;
        if (text is null)
        {
            error = "no SDP";
            return false;
        }

        if (text.Length > limits.MaxLength)
        {
            error = $"SDP is {text.Length} characters, more than the limit of {limits.MaxLength}";
            return false;
        }

        var session = new SdpSessionDescription();
        SdpMediaDescription? media = null;
        bool sawVersion = false;
        bool sawOrigin = false;
        int lineCount = 0;
        int lineNumber = 0;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            lineNumber++;
            string line = text[range].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (++lineCount > limits.MaxLines)
            {
                error = $"more than {limits.MaxLines} lines";
                return false;
            }

            if (line.Length > limits.MaxLineLength)
            {
                error = $"line {lineNumber} is longer than {limits.MaxLineLength} characters";
                return false;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                error = $"line {lineNumber} is not of the form x=value";
                return false;
            }

            char type = line[0];
            string value = line[2..];
            if (!sawVersion)
            {
                if (type != 'v' || value.Trim() != "0")
                {
                    error = "SDP must start with v=0";
                    return false;
                }

                sawVersion = true;
                continue;
            }

            switch (type)
            {
                case 'o':
                    session.Origin = value;
                    sawOrigin = true;
                    break;
                case 's' when media is null:
                    session.SessionName = value;
                    break;
                case 't' when media is null:
                    session.Timing = value;
                    break;
                case 'c':
                    if (media is null)
                    {
                        session.Connection = value;
                    }
                    else
                    {
                        media.Connection = value;
                    }

                    break;
                case 'b':
                    (media?.Bandwidths ?? session.Bandwidths).Add(value);
                    break;
                case 'm':
                    if (session.Media.Count >= limits.MaxMediaSections)
                    {
                        error = $"more than {limits.MaxMediaSections} media sections";
                        return false;
                    }

                    if (!TryParseMediaLine(value, out media, out error))
                    {
                        error = $"line {lineNumber}: {error}";
                        return false;
                    }

                    session.Media.Add(media!);
                    break;
                case 'a':
                    var attributes = media?.Attributes ?? session.Attributes;
                    if (attributes.Count >= limits.MaxAttributesPerSection)
                    {
                        error = $"more than {limits.MaxAttributesPerSection} attributes in one section";
                        return false;
                    }

                    int colon = value.IndexOf(':', StringComparison.Ordinal);
                    attributes.Add(colon < 0 ? new SdpAttribute(value) : new SdpAttribute(value[..colon], value[(colon + 1)..]));
                    break;
                default:
                    // i=, u=, e=, p=, r=, z=, k= and unknown types carry nothing WebRTC needs.
                    break;
            }
        }

        if (!sawVersion)
        {
            error = "empty SDP";
            return false;
        }

        if (!sawOrigin)
        {
            error = "SDP has no o= line";
            return false;
        }

        description = session;
        error = null;
        return true;
    }

    private static bool TryParseMediaLine(string value, out SdpMediaDescription? media, out string? error)
    {
        media = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            error = "m= line needs media, port and protocol";
            return false;
        }

        string portText = parts[1];
        int? portCount = null;
        int slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            {
                error = "m= line has a bad port count";
                return false;
            }

            portCount = count;
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            error = "m= line has a bad port";
            return false;
        }

        media = new SdpMediaDescription(parts[0], port, parts[2], parts[3..]) { PortCount = portCount };
        error = null;
        return true;
    }
}
