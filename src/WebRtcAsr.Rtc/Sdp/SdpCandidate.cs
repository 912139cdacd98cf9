using System.Globalization;
using System.Text;

namespace WebRtcAsr.Rtc.Sdp;

/// <summary>
/// An ICE candidate line (RFC 8839 5.1): "candidate:foundation component transport priority
/// address port typ type [raddr a] [rport p] *(extension-name extension-value)". The address may be
/// an mDNS host name (Chromium's "uuid.local").
/// </summary>
public sealed record SdpCandidate(
    string Foundation,
    int Component,
    string Transport,
    uint Priority,
    string Address,
    int Port,
    string Type,
    string? RelatedAddress = null,
    int? RelatedPort = null,
    IReadOnlyList<KeyValuePair<string, string>>? Extensions = null)
{
    /// <summary>Parses the value of "a=candidate:" (with or without the leading "candidate:").</summary>
    public static bool TryParse(string value, out SdpCandidate? candidate)
    {
        candidate = null;
        string text = value.StartsWith("candidate:", StringComparison.Ordinal) ? value["candidate:".Length..] : value;
        string[] t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (t.Length < 8 || t[6] != "typ" || t[0].Length is 0 or > 32
            || !int.TryParse(t[1], NumberStyles.None, CultureInfo.InvariantCulture, out int component) || component is < 1 or > 256
            || !uint.TryParse(t[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
            || !int.TryParse(t[5], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        string? relatedAddress = null;
        int? relatedPort = null;
        List<KeyValuePair<string, string>>? extensions = null;
        for (int i = 8; i + 1 < t.Length; i += 2)
        {
            switch (t[i])
            {
                case "raddr":
                    relatedAddress = t[i + 1];
                    break;
                case "rport" when int.TryParse(t[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int rport):
                    relatedPort = rport;
                    break;
                default:
                    extensions ??= [];
                    extensions.Add(new(t[i], t[i + 1]));
                    break;
            }
        }

        candidate = new SdpCandidate(t[0], component, t[2].ToLowerInvariant(), priority, t[4], port, t[7], relatedAddress, relatedPort, extensions);
        return true;
    }

    /// <summary>The value after "a=" ("candidate:...").</summary>
    public string ToValue()
    {
        var sb = new StringBuilder("candidate:");
        sb.Append(CultureInfo.InvariantCulture, $"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {Type}");
        if (RelatedAddress is not null)
        {
            sb.Append(" raddr ").Append(RelatedAddress);
        }

        if (RelatedPort is { } rport)
        {
            sb.Append(CultureInfo.InvariantCulture, $" rport {rport}");
        }

        foreach (var (name, extension) in Extensions ?? [])
        {
            sb.Append(' ').Append(name).Append(' ').Append(extension);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Candidate priority (RFC 8445 5.1.2.1): 2^24 * type preference + 2^8 * local preference + (256 - component).
    /// Host candidates use type preference 126.
    /// </summary>
    public static uint ComputePriority(int typePreference, int localPreference, int component) =>
        (uint)((typePreference << 24) + (localPreference << 8) + (256 - component));
}
