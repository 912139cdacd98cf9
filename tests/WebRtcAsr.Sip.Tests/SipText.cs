using System.Text;

namespace WebRtcAsr.Sip.Tests;

/// <summary>Turns readable test messages (LF line ends) into wire bytes (CRLF).</summary>
internal static class SipText
{
    public static byte[] Wire(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    /// <summary>A message with its body, Content-Length set to the body's real byte count.</summary>
    public static byte[] WithBody(string head, string body)
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body.ReplaceLineEndings("\r\n"));
        var headText = head.ReplaceLineEndings("\r\n").Replace("{LEN}", bodyBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(headText), .. bodyBytes];
    }
}
