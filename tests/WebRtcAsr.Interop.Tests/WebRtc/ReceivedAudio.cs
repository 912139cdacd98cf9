using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The Opus RTP one peer sent, put in sequence order and decoded to 48 kHz mono (gaps in the
/// timestamps concealed), then brought to a reference's rate for comparison.
/// </summary>
internal static class ReceivedAudio
{
    public static float[] Decode(IReadOnlyList<(byte[] Packet, Rtc.Srtp.RtpPacketHeader Header)> packets)
    {
        var ordered = Unwrap(packets).OrderBy(p => p.Index).ToList();
        using var decoder = new OpusDecoder();
        var output = new List<float>();
        var frame = new float[OpusDecoder.MaxPacketSamples];
        long? nextTimestamp = null;
        foreach (var (_, timestamp, packet, header) in ordered)
        {
            if (nextTimestamp is { } expected && timestamp > expected)
            {
                long gap = Math.Min(timestamp - expected, OpusDecoder.SampleRate); // at most 1 s of concealment per gap
                gap -= gap % OpusDecoder.ConcealmentGranule;
                for (long done = 0; done < gap; done += OpusDecoder.MaxPacketSamples)
                {
                    int n = decoder.Conceal((int)Math.Min(OpusDecoder.MaxPacketSamples, gap - done), frame);
                    output.AddRange(frame.AsSpan(0, Math.Max(0, n)).ToArray());
                }
            }

            int samples = decoder.Decode(packet.AsSpan(header.HeaderLength), frame);
            if (samples > 0)
            {
                output.AddRange(frame.AsSpan(0, samples).ToArray());
                nextTimestamp = timestamp + samples;
            }
        }

        return [.. output];
    }

    public static float[] Resample(float[] input, int from, int to)
    {
        var resampler = new Resampler(from, to);
        var output = new float[resampler.MaxOutputLength(input.Length) + resampler.MaxFlushLength];
        int n = resampler.Process(input, output);
        n += resampler.Flush(output.AsSpan(n));
        // Drop the resampler's latency so that sample k of the output is sample k of the input in time.
        int latency = Math.Min(resampler.LatencySamples, n);
        return output.AsSpan(latency, n - latency).ToArray();
    }

    private static IEnumerable<(long Index, long Timestamp, byte[] Packet, Rtc.Srtp.RtpPacketHeader Header)> Unwrap(
        IReadOnlyList<(byte[] Packet, Rtc.Srtp.RtpPacketHeader Header)> packets)
    {
        long? lastIndex = null;
        long? lastTimestamp = null;
        foreach (var (packet, header) in packets)
        {
            long index = lastIndex is { } li ? li + (short)(header.SequenceNumber - (ushort)li) : header.SequenceNumber;
            long timestamp = lastTimestamp is { } lt ? lt + (int)(header.Timestamp - (uint)lt) : header.Timestamp;
            lastIndex = Math.Max(index, lastIndex ?? index);
            lastTimestamp = Math.Max(timestamp, lastTimestamp ?? timestamp);
            yield return (index, timestamp, packet, header);
        }
    }
}
