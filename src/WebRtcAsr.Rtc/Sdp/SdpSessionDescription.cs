namespace WebRtcAsr.Rtc.Sdp;

/// <summary>A parsed session description (RFC 8866): session-level lines and the media sections.</summary>
public sealed class SdpSessionDescription
{
    /// <summary>The "o=" line value ("- 4611731400430051336 2 IN IP4 127.0.0.1").</summary>
    public string Origin { get; set; } = "- 0 0 IN IP4 0.0.0.0";

    public string SessionName { get; set; } = "-";

    public string? Connection { get; set; }

    public string Timing { get; set; } = "0 0";

    public List<string> Bandwidths { get; } = [];

    public List<SdpAttribute> Attributes { get; } = [];

    public List<SdpMediaDescription> Media { get; } = [];

    public string? GetAttribute(string name) => Attributes.Find(a => a.Name == name)?.Value;

    public bool HasAttribute(string name) => Attributes.Exists(a => a.Name == name);

    /// <summary>The mids of the first "a=group:BUNDLE" group, or null when there is none.</summary>
    public IReadOnlyList<string>? BundleGroup
    {
        get
        {
            foreach (var attribute in Attributes)
            {
                if (attribute.Name == "group" && attribute.Value is { } value)
                {
                    string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length > 0 && parts[0] == "BUNDLE")
                    {
                        return parts[1..];
                    }
                }
            }

            return null;
        }
    }

    /// <summary>A media-level attribute, falling back to the session level (ice-ufrag, ice-pwd, fingerprint, setup).</summary>
    public string? GetTransportAttribute(SdpMediaDescription media, string name) =>
        media.GetAttribute(name) ?? GetAttribute(name);

    /// <summary>Fingerprints of a media section, or of the session when the section has none.</summary>
    public IReadOnlyList<SdpFingerprint> GetFingerprints(SdpMediaDescription media)
    {
        var fingerprints = media.Fingerprints;
        if (fingerprints.Count > 0)
        {
            return fingerprints;
        }

        var list = new List<SdpFingerprint>();
        foreach (var attribute in Attributes)
        {
            if (attribute.Name == "fingerprint" && attribute.Value is { } v && SdpFingerprint.TryParse(v, out var f))
            {
                list.Add(f!);
            }
        }

        return list;
    }
}
