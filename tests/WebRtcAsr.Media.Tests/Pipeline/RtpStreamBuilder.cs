using WebRtcAsr.Media.Codecs;
using G711Table = WebRtcAsr.Media.Codecs.G711;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Pipeline;

/// <summary>Encodes audio into the RTP packets a sender would emit (20 ms each).</summary>
internal static class RtpStreamBuilder
{
    /// <summary>Opus at the given input rate (8 or 48 kHz...), FEC on; RTP clock is always 48 kHz.</summary>
    public static List<byte[]> Opus(ReadOnlySpan<float> audio, int sampleRate, int bitrate = 24_000,
        ushort firstSeq = 100, uint firstTs = 3_000, uint ssrc = 0x1234, byte payloadType = 111, int lossPercent = 10)
    {
        using var encoder = new OpusEncoder(bitrate, inbandFec: true, packetLossPercent: lossPercent, sampleRate: sampleRate);
        int frame = sampleRate / 50;
        var packets = new List<byte[]>();
        var pcm = new float[frame];
        var payload = new byte[OpusEncoder.MaxPacketBytes];
        var buffer = new byte[OpusEncoder.MaxPacketBytes + 12];
        for (int i = 0; i * frame < audio.Length; i++)
        {
            pcm.AsSpan().Clear();
            var chunk = audio.Slice(i * frame, Math.Min(frame, audio.Length - (i * frame)));
            chunk.CopyTo(pcm);
            int length = encoder.Encode(pcm, payload);
            var header = new RtpHeader(payloadType, (ushort)(firstSeq + i), (uint)(firstTs + (i * 960)), ssrc, Marker: i == 0);
            int n = RtpPacketWriter.Write(buffer, header, payload.AsSpan(0, length));
            packets.Add(buffer.AsSpan(0, n).ToArray());
        }

        return packets;
    }

    /// <summary>G.711 at 8 kHz (PCMU on PT 0 or PCMA on PT 8).</summary>
    public static List<byte[]> G711(ReadOnlySpan<float> audio8k, bool aLaw, ushort firstSeq = 7, uint firstTs = 0,
        uint ssrc = 0x5678)
    {
        var packets = new List<byte[]>();
        var payload = new byte[160];
        var buffer = new byte[12 + 160];
        for (int i = 0; (i + 1) * 160 <= audio8k.Length; i++)
        {
            var chunk = audio8k.Slice(i * 160, 160);
            if (aLaw)
            {
                G711Table.EncodeALaw(chunk, payload);
            }
            else
            {
                G711Table.EncodeMuLaw(chunk, payload);
            }

            var header = new RtpHeader(aLaw ? (byte)8 : (byte)0, (ushort)(firstSeq + i), (uint)(firstTs + (i * 160)), ssrc);
            int n = RtpPacketWriter.Write(buffer, header, payload);
            packets.Add(buffer.AsSpan(0, n).ToArray());
        }

        return packets;
    }

    /// <summary>Rewrites a packet's sequence number and timestamp in place.</summary>
    public static void Restamp(byte[] packet, ushort sequenceNumber, uint timestamp)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequenceNumber);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
    }
}
