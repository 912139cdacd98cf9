using System.Diagnostics;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Resampling;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Benchmarks.Media;

/// <summary>
/// Cost per 20 ms packet of the receive audio path, stage by stage and end to end: RTP parse,
/// decode, resample to 16 kHz, and the whole <see cref="AudioPipeline"/> (parse → jitter buffer →
/// decode → resample), for Opus and PCMU. Prints µs and bytes allocated per packet.
/// Usage: media-path [--seconds N] (audio length per round, default 60).
/// </summary>
[BenchmarkSuite("media-path", "RTP parse, jitter buffer, decode, resample per 20 ms packet (Opus and PCMU)")]
internal static class PathBenchmark
{
    private const int Rounds = 5;

    public static int Run(string[] args)
    {
        int seconds = args.Length == 2 && args[0] == "--seconds" && int.TryParse(args[1], out int s) ? s : 60;
        Console.WriteLine($"media-path: {seconds} s of synthetic voiced audio per round, best of {Rounds} rounds");
        Console.WriteLine("| codec | stage                         | µs/packet | B/packet |");
        Console.WriteLine("|-------|-------------------------------|-----------|----------|");
        var opus = OpusPackets(seconds);
        var pcmu = PcmuPackets(seconds);
        Report("opus", "RTP parse", opus, ParseOnly);
        Report("opus", "decode (libopus, 48 kHz)", opus, DecodeOnly(new OpusDecoder()));
        Report("opus", "resample 48 → 16 kHz", opus, ResampleOnly(48_000, 960));
        Report("opus", "AudioPipeline end to end", opus, WholePipeline(PayloadTypeMap.WebRtcOpus()));
        Report("PCMU", "decode (G.711)", pcmu, DecodeOnly(new G711Decoder(aLaw: false)));
        Report("PCMU", "resample 8 → 16 kHz", pcmu, ResampleOnly(8_000, 160));
        Report("PCMU", "AudioPipeline end to end", pcmu, WholePipeline(PayloadTypeMap.Telephony()));
        return 0;
    }

    private static void Report(string codec, string stage, byte[][] packets, Action<byte[][]> run)
    {
        run(packets); // warm-up (JIT tiers, pools)
        double best = double.MaxValue;
        long allocated = 0;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            run(packets);
            double micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            best = Math.Min(best, micros);
        }

        Console.WriteLine($"| {codec,-5} | {stage,-29} | {best / packets.Length,9:F2} | {allocated / (double)packets.Length,8:F2} |");
    }

    private static void ParseOnly(byte[][] packets)
    {
        int sum = 0;
        foreach (var packet in packets)
        {
            if (RtpPacketView.TryParse(packet, out var view, out _))
            {
                sum += view.Payload.Length;
            }
        }

        _parsedBytes += sum;
    }

    private static long _parsedBytes;

    private static Action<byte[][]> DecodeOnly(IAudioDecoder decoder)
    {
        var pcm = new float[decoder.MaxFrameSamples];
        return packets =>
        {
            foreach (var packet in packets)
            {
                decoder.Decode(packet.AsSpan(12), pcm);
            }
        };
    }

    private static Action<byte[][]> ResampleOnly(int rate, int frame)
    {
        var resampler = new Resampler(rate, 16_000);
        var input = Voice(frame, rate, 0);
        var output = new float[resampler.MaxOutputLength(frame)];
        return packets =>
        {
            for (int i = 0; i < packets.Length; i++)
            {
                resampler.Process(input, output);
            }
        };
    }

    private static Action<byte[][]> WholePipeline(PayloadTypeMap map)
    {
        var sink = new DiscardingConsumer();
        var pipeline = new AudioPipeline(map, sink);
        long now = 0;
        int sent = 0;
        int step = map[111] is null ? 160 : 960;
        return packets =>
        {
            foreach (var packet in packets)
            {
                // One continuing stream across rounds: restamp sequence and timestamp in place.
                ushort seq = (ushort)sent;
                uint ts = (uint)(sent * step);
                packet[2] = (byte)(seq >> 8);
                packet[3] = (byte)seq;
                packet[4] = (byte)(ts >> 24);
                packet[5] = (byte)(ts >> 16);
                packet[6] = (byte)(ts >> 8);
                packet[7] = (byte)ts;
                sent++;
                pipeline.Receive(packet, now += 20_000);
                pipeline.Poll(now);
            }
        };
    }

    private static byte[][] OpusPackets(int seconds)
    {
        using var encoder = new OpusEncoder(bitrate: 24_000);
        var payload = new byte[OpusEncoder.MaxPacketBytes];
        var packets = new byte[seconds * 50][];
        for (int i = 0; i < packets.Length; i++)
        {
            int length = encoder.Encode(Voice(960, 48_000, i), payload);
            packets[i] = Packet(111, i, i * 960, payload.AsSpan(0, length));
        }

        return packets;
    }

    private static byte[][] PcmuPackets(int seconds)
    {
        var payload = new byte[160];
        var packets = new byte[seconds * 50][];
        for (int i = 0; i < packets.Length; i++)
        {
            G711.EncodeMuLaw(Voice(160, 8_000, i), payload);
            packets[i] = Packet(0, i, i * 160, payload);
        }

        return packets;
    }

    private static byte[] Packet(byte payloadType, int index, long timestamp, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[12 + payload.Length];
        RtpPacketWriter.Write(buffer, new RtpHeader(payloadType, (ushort)index, (uint)timestamp, 0xBE7C4), payload);
        return buffer;
    }

    /// <summary>A voiced-speech stand-in: 140 Hz harmonics with a 4 Hz syllable envelope.</summary>
    private static float[] Voice(int samples, int rate, int packetIndex)
    {
        var pcm = new float[samples];
        for (int n = 0; n < samples; n++)
        {
            double t = ((packetIndex * (double)samples) + n) / rate;
            double envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
            double v = 0;
            for (int h = 1; h <= 10; h++)
            {
                v += Math.Sin(2 * Math.PI * 140 * h * t) / h;
            }

            pcm[n] = (float)(0.2 * envelope * v);
        }

        return pcm;
    }

    private sealed class DiscardingConsumer : IAudioFrameConsumer
    {
        private long _samples;

        public void OnAudio(in AudioFrame frame) => _samples += frame.Samples.Length;
    }
}
