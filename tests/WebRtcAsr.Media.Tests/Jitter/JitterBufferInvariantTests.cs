using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Jitter;

/// <summary>
/// Seeded random streams mixing every impairment at once, including hostile ones (huge
/// sequence and timestamp jumps, SSRC flips, rejected payloads); the buffer must keep its
/// invariants whatever comes.
/// </summary>
public class JitterBufferInvariantTests
{
    private sealed class CheckingSink : IAudioFrameSink
    {
        private long _end = long.MinValue;
        private long _sequence;
        private uint _ssrc;

        public long Frames { get; private set; }

        public long ContinuousFrames { get; private set; }

        public void OnFrame(in DecodedAudio frame)
        {
            Frames++;
            Assert.True(frame.Samples.Length > 0);
            if (!frame.Discontinuity)
            {
                // Without a discontinuity flag, audio continues exactly where it left off.
                ContinuousFrames++;
                Assert.Equal(_ssrc, frame.Ssrc);
                Assert.Equal(_end, frame.Timestamp);
                Assert.Equal(_sequence + 1, frame.SequenceNumber);
            }

            _ssrc = frame.Ssrc;
            _sequence = frame.SequenceNumber;
            _end = frame.Timestamp + ((long)frame.Samples.Length * frame.ClockRate / frame.SampleRate);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_hostile_streams_keep_the_invariants(int seed)
    {
        var random = new Random(seed);
        var sink = new CheckingSink();
        using var buffer = new JitterBuffer(new TaggedPayloadDecoder(), sink, new JitterBufferOptions { Capacity = 16 });
        var packet = new byte[64];
        ushort seq = (ushort)random.Next(65536);
        uint ts = (uint)random.Next();
        uint ssrc = 1;
        long now = 0;
        int inserts = 0;
        for (int i = 0; i < 5000; i++)
        {
            now += random.Next(0, 40_000);
            int roll = random.Next(100);
            ushort s = seq;
            uint t = ts;
            switch (roll)
            {
                case < 5: // reordered back a little
                    s = (ushort)(seq - random.Next(1, 6));
                    t = ts - (uint)((seq - s) * 960);
                    break;
                case < 8: // loss burst
                    int lost = random.Next(1, 30);
                    seq += (ushort)lost;
                    ts += (uint)(lost * 960);
                    s = seq;
                    t = ts;
                    break;
                case < 9: // sequence jump (restart attempt)
                    seq += (ushort)random.Next(3000, 60000);
                    s = seq;
                    break;
                case < 10: // timestamp jump (DTX or garbage)
                    ts += (uint)random.Next();
                    t = ts;
                    break;
                case < 11: // new SSRC
                    ssrc++;
                    break;
            }

            var header = new RtpHeader(111, s, t, ssrc, Marker: random.Next(50) == 0);
            int length = RtpPacketWriter.Write(packet, header, TaggedPayloadDecoder.Payload(i, fec: random.Next(2) == 0, reject: random.Next(40) == 0));
            RtpPacketView.TryParse(packet.AsSpan(0, length), out var view, out _);
            buffer.Insert(view, now);
            inserts++;
            if (random.Next(3) == 0)
            {
                buffer.Poll(now);
            }

            Assert.InRange(buffer.Count, 0, 16);
            if (buffer.NextTimeoutMicros is long timeout)
            {
                Assert.True(timeout > now || buffer.Count > 0);
            }

            if (roll >= 5)
            {
                seq++;
                ts += 960;
            }
        }

        buffer.Flush();
        Assert.Equal(0, buffer.Count);
        var st = buffer.Statistics;
        Assert.Equal(inserts, st.Received + st.Duplicates + st.Late + st.TooLarge + st.SequenceJumps);
        Assert.True(sink.Frames > 1000);
        Assert.True(sink.ContinuousFrames > sink.Frames / 2, $"{sink.ContinuousFrames} of {sink.Frames} checked for continuity");
    }
}
