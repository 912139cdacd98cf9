namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// The client-to-mixer audio level header extension (RFC 6464,
/// urn:ietf:params:rtp-hdrext:ssrc-audio-level): a voice-activity flag and the level in -dBov (0-127).
/// </summary>
public readonly record struct AudioLevel(bool VoiceActivity, byte LevelMinusDbov)
{
    /// <summary>Reads the extension with the negotiated id from a packet.</summary>
    public static bool TryRead(in RtpPacketView packet, int extensionId, out AudioLevel level)
    {
        level = default;
        if (extensionId <= 0 ||
            !RtpHeaderExtensionReader.TryFind(packet.ExtensionProfile, packet.ExtensionData, extensionId, out var data) ||
            data.Length < 1)
        {
            return false;
        }

        // RFC 6464 3: the first octet is V (1 bit) and the level (7 bits); extra octets are padding.
        level = new AudioLevel((data[0] & 0x80) != 0, (byte)(data[0] & 0x7F));
        return true;
    }
}
