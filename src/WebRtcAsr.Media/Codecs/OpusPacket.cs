namespace WebRtcAsr.Media.Codecs;

/// <summary>Reads facts from an Opus packet's framing (RFC 6716 section 3) without decoding it.</summary>
public static unsafe class OpusPacket
{
    /// <summary>
    /// Whether the packet carries SILK LBRR (in-band FEC) data for the previous packet, like
    /// libopus 1.5's <c>opus_packet_has_lbrr</c> (Debian 12 ships libopus 1.3, which lacks it).
    /// </summary>
    /// <remarks>
    /// Only SILK-only and hybrid packets (TOC config 0..15) can carry LBRR. The SILK encoder writes
    /// each channel's per-frame VAD flags and then its LBRR flag as the first bits of the range
    /// coder's output (RFC 6716 section 4.2.3), so the flag can be read from the first byte of the
    /// first Opus frame: for channel c it is bit (c + 1) * (silkFrames + 1) - 1, counted from the MSB.
    /// </remarks>
    public static bool HasLbrr(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return false;
        }
        int config = packet[0] >> 3;
        if (config >= 16)
        {
            return false; // CELT-only
        }
        // SILK-only configs 0..11 cycle through 10/20/40/60 ms; hybrid 12..15 alternate 10/20 ms.
        int silkFrames = config < 12 ? (config & 3) switch { 2 => 2, 3 => 3, _ => 1 } : 1;
        int channels = (packet[0] & 0x04) != 0 ? 2 : 1;

        byte toc;
        byte** frames = stackalloc byte*[48];
        short* sizes = stackalloc short[48];
        int payloadOffset;
        fixed (byte* data = packet)
        {
            int count = OpusNative.opus_packet_parse(data, packet.Length, &toc, frames, sizes, &payloadOffset);
            if (count <= 0 || sizes[0] <= 1)
            {
                return false; // malformed, or DTX / tiny frame with no SILK payload
            }
            byte first = frames[0][0];
            for (int channel = 0; channel < channels; channel++)
            {
                if ((first & (0x80 >> (((channel + 1) * (silkFrames + 1)) - 1))) != 0)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Samples (at 48 kHz) the packet decodes to, or -1 when its framing is invalid.</summary>
    public static int SampleCount(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return -1;
        }
        fixed (byte* data = packet)
        {
            int samples = OpusNative.opus_packet_get_nb_samples(data, packet.Length, OpusDecoder.SampleRate);
            return samples < 0 ? -1 : samples;
        }
    }
}
