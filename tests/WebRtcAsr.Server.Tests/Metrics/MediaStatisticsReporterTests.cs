using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Tests.Metrics;

public sealed class MediaStatisticsReporterTests
{
    [Fact]
    public void Reports_a_jitter_buffers_packets_losses_and_concealment_as_deltas()
    {
        var metrics = new ServerMetrics();
        var reporter = new MediaStatisticsReporter(metrics);
        using var buffer = new JitterBuffer(new G711Decoder(aLaw: false), new NoSink());
        var packet = new byte[12 + 160];
        var payload = new byte[160];
        payload.AsSpan().Fill(0xFF); // μ-law silence
        long now = 0;

        // 20 ms PCMU packets; packet 5 never arrives.
        for (ushort seq = 0; seq < 10; seq++, now += 20_000)
        {
            if (seq != 5)
            {
                var length = RtpPacketWriter.Write(packet, new RtpHeader(0, seq, seq * 160u, 0x1234), payload);
                Assert.True(RtpPacketView.TryParse(packet.AsSpan(0, length), out var view, out _));
                buffer.Insert(view, now);
            }

            buffer.Poll(now);
        }

        buffer.Poll(now + 500_000);
        reporter.Report(buffer.Statistics);
        Assert.Equal(9, metrics.PacketsReceived.Value);
        Assert.Equal(1, metrics.PacketsLost.Value);
        Assert.Equal(1, metrics.ConcealedPackets.Value);
        Assert.Equal(1, metrics.Jitter.Count);

        reporter.Report(buffer.Statistics); // nothing new: no double counting
        Assert.Equal(9, metrics.PacketsReceived.Value);
        Assert.Equal(1, metrics.PacketsLost.Value);
    }

    private sealed class NoSink : IAudioFrameSink
    {
        public void OnFrame(in DecodedAudio frame)
        {
        }
    }
}
