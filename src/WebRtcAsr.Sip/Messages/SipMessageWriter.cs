using System.Globalization;
using System.Text;

namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// Serializes messages: start line, header fields in order, then a Content-Length that always matches the
/// body (any Content-Length field in the header list is replaced), an empty line and the body.
/// </summary>
public static class SipMessageWriter
{
    /// <summary>Writes into <paramref name="destination"/>; false when it is too small.</summary>
    public static bool TryWrite(SipMessage message, Span<byte> destination, out int written)
    {
        var head = FormatHead(message);
        written = 0;
        var headLength = Encoding.UTF8.GetByteCount(head);
        if (headLength + message.Body.Length > destination.Length)
        {
            return false;
        }

        Encoding.UTF8.GetBytes(head, destination);
        message.Body.Span.CopyTo(destination[headLength..]);
        written = headLength + message.Body.Length;
        return true;
    }

    public static byte[] ToBytes(SipMessage message)
    {
        var head = FormatHead(message);
        var bytes = new byte[Encoding.UTF8.GetByteCount(head) + message.Body.Length];
        var n = Encoding.UTF8.GetBytes(head, bytes);
        message.Body.Span.CopyTo(bytes.AsSpan(n));
        return bytes;
    }

    public static string ToText(SipMessage message) => Encoding.UTF8.GetString(ToBytes(message));

    private static string FormatHead(SipMessage message)
    {
        var builder = new StringBuilder(512);
        switch (message)
        {
            case SipRequest request:
                builder.Append(request.Method).Append(' ').Append(request.RequestUri.Text).Append(" SIP/2.0\r\n");
                break;
            case SipResponse response:
                builder.Append("SIP/2.0 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
                    .Append(response.ReasonPhrase).Append("\r\n");
                break;
        }

        foreach (var header in message.Headers)
        {
            if (string.Equals(header.Name, SipHeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            builder.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        builder.Append("Content-Length: ").Append(message.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return builder.ToString();
    }
}
