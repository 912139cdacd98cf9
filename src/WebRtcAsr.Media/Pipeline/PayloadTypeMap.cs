namespace WebRtcAsr.Media.Pipeline;

/// <summary>
/// The payload types negotiated for one stream (from SDP rtpmap): PT → encoding name, e.g.
/// 111 → "opus", 0 → "PCMU", 8 → "PCMA", 126 → "telephone-event". Lookups allocate nothing.
/// </summary>
public sealed class PayloadTypeMap
{
    private readonly string?[] _names = new string?[128];

    /// <summary>Adds or replaces a mapping; dynamic (96-127) and static (0-95) types alike.</summary>
    public PayloadTypeMap Add(int payloadType, string encodingName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, 127);
        ArgumentException.ThrowIfNullOrWhiteSpace(encodingName);
        _names[payloadType] = encodingName;
        return this;
    }

    /// <summary>The encoding negotiated for a payload type, or null.</summary>
    public string? this[int payloadType] => (uint)payloadType < 128 ? _names[payloadType] : null;

    /// <summary>The usual WebRTC audio map: Opus on 111.</summary>
    public static PayloadTypeMap WebRtcOpus() => new PayloadTypeMap().Add(111, "opus");

    /// <summary>The static telephony map: PCMU on 0, PCMA on 8 (RFC 3551).</summary>
    public static PayloadTypeMap Telephony() => new PayloadTypeMap().Add(0, "PCMU").Add(8, "PCMA");
}
