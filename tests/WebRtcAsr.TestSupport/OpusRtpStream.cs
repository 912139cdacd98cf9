using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.TestSupport;

/// <summary>
/// Speech as a browser sends it (Opus in 20 ms RTP packets, in-band FEC on) and what the server's audio
/// pipeline makes of it after a lossy network: for end-to-end checks of the media path with the recognizer.
/// </summary>
public static class OpusRtpStream
{
    private const int Frame = 960;
    private const byte PayloadType = 111;

    /// <summary>Encodes 48 kHz mono audio into RTP packets, one per 20 ms.</summary>
    public static List<byte[]> Packetize(float[] samples48k, int bitrate = 24000, uint ssrc = 0x5EED)
    {
        ArgumentNullException.ThrowIfNull(samples48k);
        using var encoder = new OpusEncoder(bitrate: bitrate, inbandFec: true, packetLossPercent: 10);
        var payload = new byte[OpusEncoder.MaxPacketBytes];
        var packets = new List<byte[]>();
        var padded = new float[(samples48k.Length + Frame - 1) / Frame * Frame + Frame * 10];
        samples48k.CopyTo(padded, 0);
        for (var i = 0; i * Frame < padded.Length; i++)
        {
            var bytes = encoder.Encode(padded.AsSpan(i * Frame, Frame), payload);
            var packet = new byte[12 + bytes];
            RtpPacketWriter.Write(packet, new RtpHeader(PayloadType, (ushort)(1000 + i), (uint)(5000 + i * Frame), ssrc, Marker: i == 0), payload.AsSpan(0, bytes));
            packets.Add(packet);
        }

        return packets;
    }

    /// <summary>
    /// Plays the packets into an <see cref="AudioPipeline"/> arriving every 20 ms, dropping those
    /// <paramref name="lost"/> says, and returns the 16 kHz audio it produced, placed at its stream time.
    /// </summary>
    public static float[] Receive(IReadOnlyList<byte[]> packets, Func<int, bool> lost)
    {
        ArgumentNullException.ThrowIfNull(packets);
        ArgumentNullException.ThrowIfNull(lost);
        var consumer = new PlacingConsumer();
        using (var pipeline = new AudioPipeline(PayloadTypeMap.WebRtcOpus(), consumer))
        {
            for (var i = 0; i < packets.Count; i++)
            {
                var arrival = i * 20_000L;
                while (pipeline.NextTimeoutMicros is long timeout && timeout <= arrival)
                {
                    pipeline.Poll(timeout);
                }

                if (!lost(i))
                {
                    pipeline.Receive(packets[i], arrival);
                }
            }

            while (pipeline.NextTimeoutMicros is long timeout)
            {
                pipeline.Poll(timeout);
            }

            pipeline.Flush();
        }

        return consumer.Samples.ToArray();
    }

    private sealed class PlacingConsumer : IAudioFrameConsumer
    {
        public List<float> Samples { get; } = [];

        public void OnAudio(in AudioFrame frame)
        {
            // Stream time decides where a block goes: a skipped stretch stays silent.
            while (Samples.Count < frame.StreamSample)
            {
                Samples.Add(0);
            }

            Samples.AddRange(frame.Samples);
        }
    }
}
