using System.Globalization;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>An "a=rtpmap:PT name/clock[/channels]" mapping (RFC 8866 6.6).</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    public static bool TryParse(string value, out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
        {
            return false;
        }

        string[] parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length < 2 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock))
        {
            return false;
        }

        int channels = 1;
        if (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels))
        {
            return false;
        }

        rtpMap = new SdpRtpMap(pt, parts[0], clock, channels);
        return true;
    }

    /// <summary>The value after "a=rtpmap:"; channels written only when not 1 (as browsers do, except for Opus which always says /2).</summary>
    public string ToValue() =>
        Channels != 1 ? $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}" : $"{PayloadType} {EncodingName}/{ClockRate}";

    /// <summary>Static payload types that may appear without an rtpmap line (RFC 3551 table 4).</summary>
    public static SdpRtpMap? Static(int payloadType) => payloadType switch
    {
        0 => new SdpRtpMap(0, "PCMU", 8000),
        8 => new SdpRtpMap(8, "PCMA", 8000),
        9 => new SdpRtpMap(9, "G722", 8000),
        _ => null,
    };
}
