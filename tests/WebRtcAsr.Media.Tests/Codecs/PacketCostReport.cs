using System.Diagnostics;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Resampling;
using Xunit.Abstractions;

namespace WebRtcAsr.Media.Tests.Codecs;

/// <summary>
/// Prints the cost of one 20 ms packet through each stage (informational: nothing is asserted on
/// time; figures from a Debug test build on a shared machine are an upper bound).
/// </summary>
public sealed class PacketCostReport(ITestOutputHelper output)
{
    [Fact]
    public void Prints_microseconds_per_20_ms_packet()
    {
        float[] speech = SpeechSample.At48kHz;
        var packets = new List<byte[]>();
        using (var encoder = new OpusEncoder())
        {
            byte[] buffer = new byte[OpusEncoder.MaxPacketBytes];
            for (int offset = 0; offset + 960 <= speech.Length; offset += 960)
            {
                packets.Add(buffer[..encoder.Encode(speech.AsSpan(offset, 960), buffer)]);
            }
        }
        float[] pcm = new float[5760];

        using var opus = new OpusDecoder();
        double opusUs = Measure(packets.Count, 10, () =>
        {
            foreach (byte[] packet in packets)
            {
                opus.Decode(packet, pcm);
            }
        });

        using var g711 = new G711Decoder(aLaw: false);
        byte[] mulaw = new byte[160];
        G711.EncodeMuLaw(speech.AsSpan(20000, 160), mulaw);
        double g711Us = Measure(1000, 10, () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                g711.Decode(mulaw, pcm);
            }
        });

        var resampler = new Resampler(48000, 16000);
        float[] resampled = new float[resampler.MaxOutputLength(960)];
        double resampleUs = Measure(200, 3, () =>
        {
            for (int i = 0; i < 200; i++)
            {
                resampler.Process(speech.AsSpan(960 * (i % 40), 960), resampled);
            }
        });

        output.WriteLine($"µs per 20 ms packet: Opus decode {opusUs:F1}, G.711 decode {g711Us:F2}, resample 48->16 kHz {resampleUs:F1} ({resampler.TapsPerOutput} taps/output)");
        Assert.True(opusUs > 0 && g711Us > 0 && resampleUs > 0);
    }

    // Best of several runs (least disturbed by other work on the machine), in µs per item.
    private static double Measure(int itemsPerRun, int runs, Action run)
    {
        run(); // warm-up (JIT, caches)
        double best = double.MaxValue;
        for (int r = 0; r < runs; r++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds / itemsPerRun);
        }
        return best;
    }
}
