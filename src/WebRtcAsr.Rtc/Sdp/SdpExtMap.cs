using System.Globalization;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>An "a=extmap:id[/direction] uri [attributes]" header extension mapping (RFC 8285 8).</summary>
public sealed record SdpExtMap(int Id, SdpDirection? Direction, string Uri, string? ExtensionAttributes = null)
{
    public const string AudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public static bool TryParse(string value, out SdpExtMap? extMap)
    {
        extMap = null;
        string[] parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return false;
        }

        string idPart = parts[0];
        SdpDirection? direction = null;
        int slash = idPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!SdpDirections.TryParse(idPart[(slash + 1)..], out var d))
            {
                return false;
            }

            direction = d;
            idPart = idPart[..slash];
        }

        // One-byte headers use 1-14, two-byte headers 1-255 (RFC 8285 5).
        if (!int.TryParse(idPart, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id < 1 || id > 255)
        {
            return false;
        }

        extMap = new SdpExtMap(id, direction, parts[1], parts.Length > 2 ? parts[2] : null);
        return true;
    }

    public string ToValue()
    {
        string id = Direction is { } d ? $"{Id}/{SdpDirections.Name(d)}" : Id.ToString(CultureInfo.InvariantCulture);
        return ExtensionAttributes is null ? $"{id} {Uri}" : $"{id} {Uri} {ExtensionAttributes}";
    }
}
