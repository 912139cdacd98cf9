using System.Globalization;
using System.Text;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>Serializes a <see cref="SdpSessionDescription"/> with CRLF line ends, lines in RFC 8866 order.</summary>
public static class SdpWriter
{
    public static string Write(SdpSessionDescription description)
    {
        var sb = new StringBuilder(2048);
        Line(sb, 'v', "0");
        Line(sb, 'o', description.Origin);
        Line(sb, 's', description.SessionName);
        if (description.Connection is not null)
        {
            Line(sb, 'c', description.Connection);
        }

        foreach (string bandwidth in description.Bandwidths)
        {
            Line(sb, 'b', bandwidth);
        }

        Line(sb, 't', description.Timing);
        foreach (var attribute in description.Attributes)
        {
            Line(sb, 'a', attribute.ToString());
        }

        foreach (var media in description.Media)
        {
            string port = media.PortCount is { } count
                ? $"{media.Port}/{count}"
                : media.Port.ToString(CultureInfo.InvariantCulture);
            Line(sb, 'm', $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
            if (media.Connection is not null)
            {
                Line(sb, 'c', media.Connection);
            }

            foreach (string bandwidth in media.Bandwidths)
            {
                Line(sb, 'b', bandwidth);
            }

            foreach (var attribute in media.Attributes)
            {
                Line(sb, 'a', attribute.ToString());
            }
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, char type, string value) =>
        sb.Append(type).Append('=').Append(value).Append("\r\n");
}
