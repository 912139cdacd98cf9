using WebRtcAsr.TestSupport;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Pipeline;

public class AudioPipelineTests
{
    private static readonly float[] Speech = TestSignals.Speech8k();
    private static readonly float[] Reference16k = TestSignals.Resample(Speech, 8000, 16000);

    private static CollectingConsumer RunInOrder(PayloadTypeMap map, List<byte[]> packets, out AudioPipeline pipeline)
    {
        var consumer = new CollectingConsumer();
        pipeline = new AudioPipeline(map, consumer);
        for (int i = 0; i < packets.Count; i++)
        {
            Assert.Equal(AudioPipelineResult.Accepted, pipeline.Receive(packets[i], 5_000 + (i * 20_000L)));
        }

        pipeline.Flush();
        return consumer;
    }

    [Fact]
    public void Opus_speech_comes_out_at_16_khz_aligned_with_the_source()
    {
        var packets = RtpStreamBuilder.Opus(Speech, 8000);
        var consumer = RunInOrder(PayloadTypeMap.WebRtcOpus(), packets, out var pipeline);
        using (pipeline)
        {
            Assert.Equal(packets.Count * 320, consumer.Length); // 20 ms → 320 samples, resampler tail included
            Assert.Equal(1, consumer.Discontinuities);
            var (lag, correlation, snr) = TestSignals.Compare(Reference16k, consumer.Timeline, 320);
            Assert.InRange(lag, 0, 320); // codec look-ahead only
            Assert.True(correlation > 0.9, $"correlation {correlation:F3}");
            Assert.Equal("opus", pipeline.CurrentEncoding);
            Assert.Equal(packets.Count, pipeline.JitterStatistics!.Decoded);
            Assert.Equal(packets.Count, pipeline.ReceiveStatistics!.PacketsReceived);
            Assert.True(snr > 5, $"SNR {snr:F1} dB");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void G711_speech_comes_out_at_16_khz_with_exact_alignment(bool aLaw)
    {
        var packets = RtpStreamBuilder.G711(Speech, aLaw);
        var consumer = RunInOrder(PayloadTypeMap.Telephony(), packets, out var pipeline);
        using (pipeline)
        {
            Assert.Equal(packets.Count * 320, consumer.Length);
            var (lag, correlation, snr) = TestSignals.Compare(Reference16k.AsSpan(0, consumer.Length), consumer.Timeline, 40);
            Assert.Equal(0, lag); // the resampler's latency is removed: stream time is exact
            Assert.True(correlation > 0.99, $"correlation {correlation:F4}");
            Assert.True(snr > 25, $"SNR {snr:F1} dB"); // G.711 is ~35 dB SNR on speech
            Assert.Equal(aLaw ? "PCMA" : "PCMU", pipeline.CurrentEncoding);
        }
    }

    [Fact]
    public void Payload_types_that_were_not_negotiated_or_are_not_audio_are_dropped_and_counted()
    {
        var map = PayloadTypeMap.WebRtcOpus().Add(126, "telephone-event");
        var consumer = new CollectingConsumer();
        using var pipeline = new AudioPipeline(map, consumer);
        var buffer = new byte[64];
        int n = RtpPacketWriter.Write(buffer, new RtpHeader(0, 1, 0, 1), new byte[] { 0xFF, 0xFF });
        Assert.Equal(AudioPipelineResult.UnknownPayloadType, pipeline.Receive(buffer.AsSpan(0, n), 0));
        n = RtpPacketWriter.Write(buffer, new RtpHeader(126, 2, 0, 1), new byte[] { 1, 0x80, 0, 160 });
        Assert.Equal(AudioPipelineResult.NotAudio, pipeline.Receive(buffer.AsSpan(0, n), 0));
        Assert.Equal(AudioPipelineResult.Malformed, pipeline.Receive(new byte[] { 0x80, 111, 0 }, 0));
        Assert.Equal((1, 1, 1), (pipeline.Statistics.UnknownPayloadType, pipeline.Statistics.NotAudio, pipeline.Statistics.Malformed));
        Assert.Equal(0, consumer.Frames);
    }

    [Fact]
    public void Dtmf_events_between_audio_packets_are_not_loss()
    {
        var packets = RtpStreamBuilder.G711(Speech.AsSpan(0, 3200), aLaw: false, firstSeq: 1, firstTs: 0);
        var events = new byte[3][];
        for (int e = 0; e < events.Length; e++)
        {
            // RFC 4733 digit 1 at the timestamp of audio packet 10, sequence numbers 11-13.
            events[e] = new byte[16];
            RtpPacketWriter.Write(events[e], new RtpHeader(101, (ushort)(11 + e), 1600, 0x5678, Marker: e == 0),
                new byte[] { 1, (byte)(e == 2 ? 0x8a : 0x0a), 0, (byte)(160 * (e + 1)) });
        }

        var consumer = new CollectingConsumer();
        using var pipeline = new AudioPipeline(PayloadTypeMap.Telephony().Add(101, "telephone-event"), consumer);
        long now = 0;
        for (int i = 0; i < 10; i++)
        {
            pipeline.Receive(packets[i], now += 20_000);
        }

        foreach (var e in events)
        {
            Assert.Equal(AudioPipelineResult.NotAudio, pipeline.Receive(e, now += 20_000));
        }

        for (int i = 10; i < packets.Count; i++)
        {
            RtpStreamBuilder.Restamp(packets[i], (ushort)(i + 4), (uint)((i + 3) * 160)); // audio resumes after the event
            pipeline.Receive(packets[i], now += 20_000);
        }

        pipeline.Flush();
        Assert.Equal(0, pipeline.JitterStatistics!.Lost);
        Assert.Equal(3, pipeline.JitterStatistics.WithoutAudio);
        Assert.Equal(0, pipeline.ReceiveStatistics!.CumulativeLost);
        Assert.Equal(pipeline.Statistics.SamplesOut + (3 * 320), consumer.Length); // the event's 60 ms is a gap
    }

    [Fact]
    public void Decoder_that_cannot_be_created_is_reported_once_per_packet_without_retrying()
    {
        int attempts = 0;
        using var pipeline = new AudioPipeline(PayloadTypeMap.WebRtcOpus(), new CollectingConsumer(), decoderFactory: _ =>
        {
            attempts++;
            throw new NotSupportedException("no codec here");
        });
        var packet = RtpStreamBuilder.Opus(Speech.AsSpan(0, 320), 8000)[0];
        Assert.Equal(AudioPipelineResult.DecoderUnavailable, pipeline.Receive(packet, 0));
        Assert.Equal(AudioPipelineResult.DecoderUnavailable, pipeline.Receive(packet, 0));
        Assert.Equal(1, attempts);
        Assert.Equal(2, pipeline.Statistics.DecoderUnavailable);
    }

    [Fact]
    public void Codec_switch_from_pcmu_to_pcma_keeps_stream_time_going()
    {
        var first = RtpStreamBuilder.G711(Speech.AsSpan(0, 1600), aLaw: false, firstSeq: 10, firstTs: 0, ssrc: 5);
        var second = RtpStreamBuilder.G711(Speech.AsSpan(1600, 1600), aLaw: true, firstSeq: 20, firstTs: 1600, ssrc: 5);
        var consumer = RunInOrder(PayloadTypeMap.Telephony(), first.Concat(second).ToList(), out var pipeline);
        using (pipeline)
        {
            Assert.Equal(1, pipeline.Statistics.CodecSwitches);
            Assert.Equal(6400, consumer.Length);
            Assert.Equal(2, consumer.Discontinuities);
            Assert.Equal("PCMA", pipeline.CurrentEncoding);
        }
    }

    [Fact]
    public void Audio_after_a_flush_continues_exactly_in_stream_time()
    {
        var packets = RtpStreamBuilder.G711(Speech.AsSpan(0, 3200), aLaw: false);
        var consumer = new CollectingConsumer();
        using var pipeline = new AudioPipeline(PayloadTypeMap.Telephony(), consumer);
        for (int i = 0; i < packets.Count; i++)
        {
            pipeline.Receive(packets[i], i * 20_000L);
            if (i == 7)
            {
                pipeline.Flush(); // e.g. the owner drains at a pause; the stream goes on
            }
        }

        pipeline.Flush();
        Assert.Equal(20 * 320, consumer.Length);
        var reference = Reference16k.AsSpan(0, consumer.Length);
        var (lag, correlation, _) = TestSignals.Compare(reference, consumer.Timeline, 40);
        Assert.Equal(0, lag);
        Assert.True(correlation > 0.99, $"correlation {correlation:F4}");
    }

    [Fact]
    public void Dtx_pause_moves_stream_time_by_the_timestamp_gap()
    {
        // 10 packets, then the sender pauses 1 s (timestamps jump, sequence does not), then 10 more.
        var packets = RtpStreamBuilder.G711(Speech.AsSpan(0, 3200), aLaw: false, firstSeq: 1, firstTs: 0);
        for (int i = 10; i < packets.Count; i++)
        {
            var p = packets[i];
            uint ts = (uint)((p[4] << 24) | (p[5] << 16) | (p[6] << 8) | p[7]) + 8000;
            p[4] = (byte)(ts >> 24);
            p[5] = (byte)(ts >> 16);
            p[6] = (byte)(ts >> 8);
            p[7] = (byte)ts;
        }

        var consumer = new CollectingConsumer();
        using var pipeline = new AudioPipeline(PayloadTypeMap.Telephony(), consumer);
        for (int i = 0; i < packets.Count; i++)
        {
            pipeline.Receive(packets[i], (i * 20_000L) + (i >= 10 ? 1_000_000 : 0));
        }

        pipeline.Flush();
        Assert.Equal(2, consumer.Discontinuities);
        var resumed = consumer.Blocks.First(b => b.StreamSample > 0 && b.Discontinuity);
        Assert.Equal((10 * 320) + 16_000, resumed.StreamSample);
        Assert.Equal((20 * 320) + 16_000, consumer.Length);
        Assert.Equal(0, pipeline.JitterStatistics!.Lost);
        Assert.Equal(1, pipeline.JitterStatistics.DtxGaps);
    }

    [Fact]
    public void A_timestamp_leap_beyond_the_max_gap_continues_stream_time_instead_of_jumping()
    {
        var packets = RtpStreamBuilder.G711(Speech.AsSpan(0, 3200), aLaw: false, firstSeq: 1, firstTs: 0);
        for (int i = 10; i < packets.Count; i++)
        {
            RtpStreamBuilder.Restamp(packets[i], (ushort)(1 + i), (uint)((i * 160) + 2_000_000_000));
        }

        var consumer = new CollectingConsumer();
        using var pipeline = new AudioPipeline(PayloadTypeMap.Telephony(), consumer);
        for (int i = 0; i < packets.Count; i++)
        {
            pipeline.Receive(packets[i], i * 20_000L);
        }

        pipeline.Flush();
        Assert.Equal(20 * 320, consumer.Length); // no multi-day hole in the timeline
        Assert.Equal(2, consumer.Discontinuities);
    }

    [Fact]
    public void Garbage_and_mutated_packets_are_dropped_and_counted_never_thrown()
    {
        var packets = RtpStreamBuilder.Opus(Speech.AsSpan(0, 8000), 8000);
        var consumer = new CollectingConsumer { Keep = false };
        using var pipeline = new AudioPipeline(PayloadTypeMap.WebRtcOpus().Add(0, "PCMU"), consumer);
        var random = new Random(7);
        var buffer = new byte[1600];
        long now = 0;
        for (int round = 0; round < 40; round++)
        {
            foreach (var packet in packets)
            {
                int n = Math.Min(buffer.Length, packet.Length + random.Next(-4, 5));
                n = Math.Max(n, 0);
                packet.AsSpan(0, Math.Min(n, packet.Length)).CopyTo(buffer);
                for (int f = random.Next(0, 4); f > 0 && n > 0; f--)
                {
                    buffer[random.Next(n)] = (byte)random.Next(256);
                }

                now += 20_000;
                pipeline.Receive(buffer.AsSpan(0, n), now);
                pipeline.Poll(now);
            }
        }

        for (int i = 0; i < 2000; i++)
        {
            random.NextBytes(buffer);
            now += 1_000;
            pipeline.Receive(buffer.AsSpan(0, random.Next(0, 200)), now);
        }

        pipeline.Flush();
        var s = pipeline.Statistics;
        Assert.Equal(packets.Count * 40 + 2000, s.Packets);
        Assert.True(s.Malformed > 0 && s.UnknownPayloadType > 0);
        Assert.True(pipeline.JitterStatistics!.DecodeErrors > 0, "libopus rejected some payloads");
        Assert.True(consumer.Frames > 0);
    }

    [Fact]
    public void Steady_state_parse_jitter_decode_resample_allocates_nothing_and_reports_its_cost()
    {
        var packets = RtpStreamBuilder.Opus(Speech, 8000);
        var consumer = new CollectingConsumer { Keep = false };
        using var pipeline = new AudioPipeline(PayloadTypeMap.WebRtcOpus(), consumer);
        long now = 0;
        int sent = 0;

        // The speech is replayed as one continuing stream: each round rewrites sequence numbers
        // and timestamps in place.
        void Round()
        {
            foreach (var packet in packets)
            {
                RtpStreamBuilder.Restamp(packet, (ushort)(100 + sent), (uint)(3_000 + (sent * 960)));
                sent++;
                pipeline.Receive(packet, now += 20_000);
                pipeline.Poll(now);
            }
        }

        for (int i = 0; i < 5; i++)
        {
            Round(); // warm-up: JIT tiers, pools
        }

        int first = sent;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Round();
        Round();
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        int measured = sent - first;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            Round();
            Round();
        });
        Console.WriteLine($"AudioPipeline Opus → 16 kHz: {elapsed.TotalMicroseconds / measured:F1} µs and {allocated / (double)measured:F2} B allocated per 20 ms packet (parse, jitter buffer, decode, resample; {measured} packets)");
        Assert.Equal(0, allocated);
        Assert.Equal(sent, pipeline.JitterStatistics!.Decoded);
    }
}
