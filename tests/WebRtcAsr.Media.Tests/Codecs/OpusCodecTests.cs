using WebRtcAsr.TestSupport;
using WebRtcAsr.Media.Codecs;
using Xunit.Abstractions;

namespace WebRtcAsr.Media.Tests.Codecs;

public sealed class OpusCodecTests(ITestOutputHelper output)
{
    private const int Frame = 960; // 20 ms at 48 kHz

    private static List<byte[]> Encode(float[] signal, int frame = Frame, OpusEncoder? encoder = null)
    {
        using var owned = encoder is null ? new OpusEncoder(bitrate: 24000, inbandFec: true, packetLossPercent: 10) : null;
        OpusEncoder e = encoder ?? owned!;
        var packets = new List<byte[]>();
        byte[] buffer = new byte[OpusEncoder.MaxPacketBytes];
        for (int offset = 0; offset + frame <= signal.Length; offset += frame)
        {
            int length = e.Encode(signal.AsSpan(offset, frame), buffer);
            packets.Add(buffer[..length]);
        }
        return packets;
    }

    private static float[] DecodeAll(IEnumerable<byte[]> packets)
    {
        using var decoder = new OpusDecoder();
        var pcm = new List<float>();
        float[] buffer = new float[decoder.MaxFrameSamples];
        foreach (byte[] packet in packets)
        {
            int n = decoder.Decode(packet, buffer);
            Assert.True(n > 0, decoder.LastError);
            pcm.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return [.. pcm];
    }

    // Lag (around the encoder look-ahead) at which the decoded signal best matches the input.
    private static int BestLag(float[] reference, float[] decoded, int around)
    {
        int best = around;
        double bestCorrelation = double.MinValue;
        for (int lag = Math.Max(0, around - 48); lag <= around + 48; lag++)
        {
            double c = Correlation(reference, decoded, lag);
            if (c > bestCorrelation)
            {
                (bestCorrelation, best) = (c, lag);
            }
        }
        return best;
    }

    private static double Correlation(float[] reference, float[] decoded, int lag)
    {
        double xy = 0, xx = 0, yy = 0;
        int n = Math.Min(reference.Length, decoded.Length - lag);
        for (int i = 0; i < n; i++)
        {
            double x = reference[i], y = decoded[i + lag];
            xy += x * y;
            xx += x * x;
            yy += y * y;
        }
        return xy / Math.Sqrt(xx * yy);
    }

    private static double SnrDb(float[] reference, float[] decoded, int lag)
    {
        double signal = 0, noise = 0;
        int n = Math.Min(reference.Length, decoded.Length - lag);
        for (int i = 0; i < n; i++)
        {
            double e = decoded[i + lag] - reference[i];
            signal += reference[i] * reference[i];
            noise += e * e;
        }
        return 10 * Math.Log10(signal / noise);
    }

    [Fact]
    public void Speech_at_24_kbps_decodes_close_to_the_original_after_the_codec_delay()
    {
        float[] speech = SpeechSample.At48kHz;
        using var encoder = new OpusEncoder(bitrate: 24000, inbandFec: true, packetLossPercent: 10);
        List<byte[]> packets = Encode(speech, encoder: encoder);
        float[] decoded = DecodeAll(packets);
        Assert.Equal(speech.Length, decoded.Length);

        int lag = BestLag(speech, decoded, encoder.Lookahead);
        double correlation = Correlation(speech, decoded, lag);
        double snr = SnrDb(speech, decoded, lag);
        double kbps = packets.Sum(p => p.Length) * 8 / (packets.Count * 0.020) / 1000;
        output.WriteLine($"opus 24 kbit/s (actual {kbps:F1}), FEC on: look-ahead {encoder.Lookahead}, best lag {lag}, correlation {correlation:F4}, SNR {snr:F2} dB");
        // The decoder output lags the input by the encoder's look-ahead (2.5 ms + 4 ms at 48 kHz = 312);
        // SILK's internal resamplers shift the waveform-match peak by a few samples (0.1 ms) from it.
        Assert.InRange(lag, encoder.Lookahead - 8, encoder.Lookahead + 8);
        // Opus is a perceptual codec: SILK shapes its noise rather than minimising waveform error, so
        // waveform SNR at 24 kbit/s is modest (typically ~10 dB on speech). A decoder fed at the
        // wrong rate, misaligned or producing garbage gets ≈ 0 dB and correlation near 0.
        Assert.True(correlation > 0.9, $"correlation {correlation:F4}");
        Assert.True(snr > 6, $"SNR {snr:F2} dB");
    }

    [Fact]
    public void Concealment_keeps_timing_and_continues_the_signal()
    {
        float[] speech = SpeechSample.At48kHz;
        List<byte[]> packets = Encode(speech);
        using var decoder = new OpusDecoder();
        float[] buffer = new float[decoder.MaxFrameSamples];
        int voiced = FindVoicedPacket(speech, packets.Count);
        float last = 0;
        double typicalStep = 0;
        for (int k = 0; k < voiced; k++)
        {
            int n = decoder.Decode(packets[k], buffer);
            last = buffer[n - 1];
            typicalStep = 0;
            for (int i = 1; i < n; i++)
            {
                typicalStep = Math.Max(typicalStep, Math.Abs(buffer[i] - buffer[i - 1]));
            }
        }
        Assert.Equal(Frame, decoder.Conceal(Frame, buffer));
        Assert.Null(decoder.LastError);
        // Continuity: the concealment starts where the audio stopped, no click.
        Assert.True(Math.Abs(buffer[0] - last) <= typicalStep, $"jump {Math.Abs(buffer[0] - last):F4} > largest step {typicalStep:F4} of the last frame");
        double plcRms = Rms(buffer.AsSpan(0, Frame));
        Assert.True(plcRms > 1e-4, "concealment of voiced speech should not be silence");
        // Durations that are not a multiple of 2.5 ms still come out exact.
        Assert.Equal(1000, decoder.Conceal(1000, buffer));
        // A long loss fades out rather than buzzing on.
        for (int i = 0; i < 10; i++)
        {
            decoder.Conceal(Frame, buffer);
        }
        Assert.True(Rms(buffer.AsSpan(0, Frame)) < plcRms / 10, "concealment should fade during a long loss");
        // Decoding resumes normally.
        Assert.Equal(Frame, decoder.Decode(packets[voiced + 12], buffer));
        Assert.Equal(-1, decoder.Conceal(0, buffer));
        Assert.Equal(-1, decoder.Conceal(Frame, new float[10]));
    }

    [Fact]
    public void Fec_recovers_a_lost_packet_closer_to_the_original_than_concealment()
    {
        float[] speech = SpeechSample.At48kHz;
        List<byte[]> packets = Encode(speech);
        float[] reference = DecodeAll(packets); // what the lost packet would have decoded to
        double fecError = 0, plcError = 0, energy = 0;
        int trials = 0;
        for (int lost = 5; lost < packets.Count - 1; lost += 3)
        {
            if (!OpusPacket.HasLbrr(packets[lost + 1]) || Rms(reference.AsSpan(lost * Frame, Frame)) < 0.01)
            {
                continue; // only speech packets whose successor carries FEC
            }
            float[] fec = DecodeWithLoss(packets, lost, useFec: true);
            float[] plc = DecodeWithLoss(packets, lost, useFec: false);
            ReadOnlySpan<float> truth = reference.AsSpan(lost * Frame, Frame);
            fecError += SquaredError(truth, fec);
            plcError += SquaredError(truth, plc);
            energy += SquaredError(truth, new float[Frame]);
            trials++;
        }
        double fecSnr = 10 * Math.Log10(energy / fecError), plcSnr = 10 * Math.Log10(energy / plcError);
        output.WriteLine($"lost speech packets: {trials}; SNR against the lossless decode: FEC {fecSnr:F2} dB, PLC {plcSnr:F2} dB");
        Assert.True(trials >= 5, $"only {trials} usable speech packets");
        Assert.True(fecSnr > plcSnr + 3, $"FEC {fecSnr:F2} dB is not clearly better than PLC {plcSnr:F2} dB");
    }

    private static float[] DecodeWithLoss(List<byte[]> packets, int lost, bool useFec)
    {
        using var decoder = new OpusDecoder();
        float[] buffer = new float[decoder.MaxFrameSamples];
        for (int k = 0; k < lost; k++)
        {
            decoder.Decode(packets[k], buffer);
        }
        int n = useFec ? decoder.DecodeFec(packets[lost + 1], Frame, buffer) : decoder.Conceal(Frame, buffer);
        Assert.Equal(Frame, n);
        return buffer[..Frame];
    }

    [Fact]
    public void Fec_presence_follows_the_encoder_setting()
    {
        float[] speech = SpeechSample.At48kHz;
        List<byte[]> withFec = Encode(speech);
        using var noFecEncoder = new OpusEncoder(inbandFec: false, packetLossPercent: 0);
        List<byte[]> withoutFec = Encode(speech, encoder: noFecEncoder);
        int flagged = withFec.Count(p => OpusPacket.HasLbrr(p));
        output.WriteLine($"packets with LBRR: {flagged} of {withFec.Count} with FEC on, {withoutFec.Count(p => OpusPacket.HasLbrr(p))} with FEC off");
        Assert.True(flagged > withFec.Count / 3, $"{flagged} of {withFec.Count} packets carry FEC");
        Assert.DoesNotContain(withoutFec, p => OpusPacket.HasLbrr(p));

        using var decoder = new OpusDecoder();
        byte[] plain = withoutFec[withoutFec.Count / 2];
        Assert.False(decoder.HasFec(plain));
        Assert.Equal(-1, decoder.DecodeFec(plain, Frame, new float[Frame]));
        Assert.Contains("no in-band FEC", decoder.LastError, StringComparison.Ordinal);
        byte[] fecPacket = withFec.First(p => OpusPacket.HasLbrr(p));
        Assert.True(decoder.HasFec(fecPacket));
        Assert.Equal(-1, decoder.DecodeFec(fecPacket, 1000, new float[2000])); // not a multiple of 2.5 ms
        // A lost duration longer than the FEC frame: libopus conceals the difference first.
        Assert.Equal(2 * Frame, decoder.DecodeFec(fecPacket, 2 * Frame, new float[2 * Frame]));
    }

    [Fact]
    public void Packets_of_60_ms_frames_decode_to_2880_samples()
    {
        float[] speech = SpeechSample.At48kHz;
        List<byte[]> packets = Encode(speech, frame: 2880);
        using var decoder = (OpusDecoder)AudioCodecs.Create("OPUS");
        Assert.Equal(("opus", 48000, 48000, 5760), (decoder.Name, decoder.ClockRate, decoder.OutputRate, decoder.MaxFrameSamples));
        float[] buffer = new float[decoder.MaxFrameSamples];
        foreach (byte[] packet in packets)
        {
            Assert.Equal(2880, OpusPacket.SampleCount(packet));
            Assert.Equal(2880, decoder.Decode(packet, buffer));
        }
        // After a reset (new stream) the decoder starts clean: same output as a fresh decoder.
        decoder.Reset();
        using var fresh = new OpusDecoder();
        float[] again = new float[decoder.MaxFrameSamples];
        Assert.Equal(2880, decoder.Decode(packets[0], buffer));
        Assert.Equal(2880, fresh.Decode(packets[0], again));
        Assert.Equal(again, buffer);
        // Too small an output is refused rather than overrun.
        Assert.Equal(-1, decoder.Decode(packets[0], new float[Frame]));
        Assert.Contains("does not fit", decoder.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Dtx_packets_decode_to_their_duration_and_an_empty_payload_is_rejected()
    {
        using var encoder = new OpusEncoder(dtx: true);
        float[] speech = SpeechSample.At48kHz;
        float[] signal = [.. speech[..(20 * Frame)], .. new float[50 * Frame]];
        List<byte[]> packets = Encode(signal, encoder: encoder);
        List<byte[]> dtx = packets.Where(p => p.Length <= 2).ToList();
        output.WriteLine($"DTX packets (≤ 2 bytes) during 1 s of silence: {dtx.Count}");
        Assert.NotEmpty(dtx);
        using var decoder = new OpusDecoder();
        float[] buffer = new float[decoder.MaxFrameSamples];
        foreach (byte[] packet in packets)
        {
            int n = decoder.Decode(packet, buffer);
            Assert.Equal(Frame, n);
            Assert.All(buffer.AsSpan(0, n).ToArray(), s => Assert.True(float.IsFinite(s) && Math.Abs(s) <= 1.5f));
        }
        Assert.Equal(-1, decoder.Decode([], buffer));
        Assert.Contains("empty payload", decoder.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_packets_are_rejected_with_a_reason_and_random_bytes_never_crash()
    {
        using var decoder = new OpusDecoder();
        float[] buffer = new float[decoder.MaxFrameSamples];
        byte[][] invalid =
        [
            [0x03],             // code 3 without its frame-count byte
            [0x03, 0x00],       // code 3 with zero frames
            [0x03, 0x31],       // code 3, 49 frames: more than 120 ms
            [0x02, 0xFC],       // code 2: first frame length larger than the packet
            [0x01, 0x00, 0x00, 0x00], // code 1 (two equal frames) with an odd payload
        ];
        foreach (byte[] packet in invalid)
        {
            Assert.True(decoder.Decode(packet, buffer) == -1, Convert.ToHexString(packet));
            Assert.False(string.IsNullOrEmpty(decoder.LastError));
            Assert.False(decoder.HasFec(packet));
        }
        output.WriteLine($"e.g. {decoder.LastError}");

        var random = new Random(7);
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] packet = new byte[random.Next(1, 200)];
            random.NextBytes(packet);
            int n = decoder.Decode(packet, buffer);
            Assert.True(n == -1 || (n > 0 && n <= 5760 && n % 120 == 0), $"returned {n}");
            rejected += n < 0 ? 1 : 0;
            decoder.HasFec(packet);
        }
        output.WriteLine($"random payloads rejected: {rejected} of 3000 (the rest are valid Opus framing and decode)");
        Assert.True(rejected > 0);
    }

    [Fact]
    public void Steady_state_decode_conceal_and_fec_allocate_nothing()
    {
        List<byte[]> packets = Encode(SpeechSample.At48kHz);
        using var decoder = new OpusDecoder();
        float[] buffer = new float[decoder.MaxFrameSamples];
        byte[] fecPacket = packets.First(p => OpusPacket.HasLbrr(p));
        void Round()
        {
            foreach (byte[] packet in packets)
            {
                decoder.Decode(packet, buffer);
            }
            decoder.Conceal(Frame, buffer);
            decoder.Conceal(1000, buffer);
            decoder.HasFec(fecPacket);
            decoder.DecodeFec(fecPacket, Frame, buffer);
        }
        Round();
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            Round();
            Round();
        }));
    }

    [Fact]
    public void Missing_library_message_says_what_to_install()
    {
        Assert.Contains("install Debian package libopus0", new OpusLibraryNotFoundException().Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => AudioCodecs.Create("G729"));
    }

    private static int FindVoicedPacket(float[] speech, int packetCount)
    {
        for (int k = 10; k < packetCount; k++)
        {
            if (Rms(speech.AsSpan(k * Frame, Frame)) > 0.05)
            {
                return k + 2; // a little into the word
            }
        }
        throw new InvalidOperationException("no voiced packet");
    }

    private static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (float s in samples)
        {
            sum += s * s;
        }
        return Math.Sqrt(sum / samples.Length);
    }

    private static double SquaredError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return sum;
    }
}
