using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Media.Tests.Jitter;

/// <summary>Deterministic jitter buffer scenarios on an injected clock (microseconds).</summary>
public sealed class JitterBufferScenarioTests : IDisposable
{
    private const long Ms = 1000;
    private const int Ticks = 960; // 20 ms at 48 kHz
    private readonly TaggedPayloadDecoder _decoder = new();
    private readonly RecordingSink _sink = new();
    private readonly byte[] _packet = new byte[64];
    private JitterBuffer _buffer;

    public JitterBufferScenarioTests()
    {
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 0, InitialWaitMicros = 0 });
    }

    public void Dispose() => _buffer.Dispose();

    private JitterInsertResult Send(int index, long now, bool fec = false, bool marker = false, uint ssrc = 1,
        ushort firstSeq = 1000, uint firstTs = 50_000, bool reject = false, int id = int.MinValue)
    {
        var header = new RtpHeader(111, (ushort)(firstSeq + index), (uint)(firstTs + (index * Ticks)), ssrc, marker);
        int length = RtpPacketWriter.Write(_packet, header,
            TaggedPayloadDecoder.Payload(id == int.MinValue ? index : id, fec, reject));
        Assert.True(RtpPacketView.TryParse(_packet.AsSpan(0, length), out var view, out _));
        return _buffer.Insert(view, now);
    }

    /// <summary>Sends packets 0..n-1 on time (20 ms apart, 5 ms network delay).</summary>
    private void SendOnTime(int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            Assert.Equal(JitterInsertResult.Accepted, Send(i, At(i)));
        }
    }

    private static long At(int index) => 5 * Ms + (index * 20 * Ms);

    private float[] Values => _sink.Blocks.Select(b => b.Value).ToArray();

    [Fact]
    public void In_order_packets_are_released_at_once_with_continuous_stream_time()
    {
        for (int i = 0; i < 10; i++)
        {
            Send(i, At(i), marker: i == 0);
            Assert.Equal(i + 1, _sink.Blocks.Count); // released on insert, no playout delay
            Assert.Equal(0, _buffer.Count);
            Assert.Null(_buffer.NextTimeoutMicros);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Values);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 50_000L + (1L << 32) + (i * Ticks)), _sink.Blocks.Select(b => b.Timestamp));
        Assert.True(_sink.Blocks[0].Discontinuity); // start of stream
        Assert.True(_sink.Blocks[0].Marker);
        Assert.All(_sink.Blocks.Skip(1), b => Assert.False(b.Discontinuity || b.Marker));
        Assert.All(_sink.Blocks, b => Assert.Equal(AudioFrameKind.Decoded, b.Kind));
        Assert.Equal(10, _buffer.Statistics.Decoded);
    }

    [Fact]
    public void Startup_hold_lets_a_reordered_first_packet_become_the_stream_start()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 40 * Ms });
        Send(1, At(1));
        Send(2, At(2));
        Assert.Empty(_sink.Blocks); // held once, at stream start
        Assert.Equal(At(1) + (40 * Ms), _buffer.NextTimeoutMicros);
        Send(0, At(2) + Ms); // the real first packet, reordered
        _buffer.Poll(At(1) + (40 * Ms));
        Assert.Equal(new float[] { 0, 1, 2 }, Values);
        Assert.Equal(50_000L + (1L << 32), _sink.Blocks[0].Timestamp);
        Send(3, At(3));
        Assert.Equal(4, _sink.Blocks.Count); // after the hold, release is immediate again
        Assert.Equal(0, _buffer.Statistics.Late);
    }

    [Fact]
    public void Reordered_packet_fills_its_gap_before_the_deadline_without_concealment()
    {
        SendOnTime(0, 5);
        Send(6, At(6));
        Assert.Equal(5, _sink.Blocks.Count); // 6 is held behind the hole at 5
        Assert.NotNull(_buffer.NextTimeoutMicros);
        Send(5, At(6) + (2 * Ms));
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5, 6 }, Values);
        Assert.Equal(0, _buffer.Statistics.Lost);
        Assert.Equal(0, _buffer.Count);
    }

    [Fact]
    public void Lost_packet_is_recovered_from_the_fec_of_the_next_one_after_the_wait()
    {
        SendOnTime(0, 5);
        Send(6, At(6), fec: true);
        long deadline = _buffer.NextTimeoutMicros!.Value;
        // On-time arrival of packet 5 plus the minimum wait (no jitter seen yet).
        Assert.Equal(At(5) + new JitterBufferOptions().MinWaitMicros, deadline);

        _buffer.Poll(deadline - 1);
        Assert.Equal(5, _sink.Blocks.Count);
        _buffer.Poll(deadline);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, -5, 6 }, Values);
        Assert.Equal(AudioFrameKind.Fec, _sink.Blocks[5].Kind);
        Assert.Equal(_sink.Blocks[4].Timestamp + Ticks, _sink.Blocks[5].Timestamp);
        Assert.Equal(960, _decoder.FecRequestedSamples);
        Assert.False(_sink.Blocks[6].Discontinuity);
        Assert.Equal((1, 1, 0), (_buffer.Statistics.Lost, _buffer.Statistics.ConcealedByFec, _buffer.Statistics.ConcealedByPlc));
    }

    [Fact]
    public void The_first_packets_wait_longer_until_the_delay_window_has_filled()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 0 });
        SendOnTime(0, 3);
        Send(4, At(4));
        Assert.Equal(At(3) + new JitterBufferOptions().InitialWaitMicros, _buffer.NextTimeoutMicros);
        Send(3, At(4) + (60 * Ms)); // 80 ms late: still in time while the window is short
        SendOnTime(5, 40);
        Send(41, At(41));
        // Past the warm-up the window decides: its largest delay is packet 3's 80 ms.
        Assert.Equal(At(40) + (80 * Ms), _buffer.NextTimeoutMicros);
        Assert.Equal(0, _buffer.Statistics.Late);
    }

    [Fact]
    public void Lost_packet_without_fec_is_concealed_by_plc_keeping_timing()
    {
        SendOnTime(0, 5);
        Send(6, At(6));
        _buffer.Poll(At(7));
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, TaggedPayloadDecoder.PlcValue, 6 }, Values);
        Assert.Equal(AudioFrameKind.Plc, _sink.Blocks[5].Kind);
        Assert.Equal(_sink.Blocks[5].Timestamp + Ticks, _sink.Blocks[6].Timestamp);
        Assert.False(_sink.Blocks[6].Discontinuity);
        Assert.Equal(1, _buffer.Statistics.ConcealedByPlc);
    }

    [Fact]
    public void Burst_loss_uses_plc_for_all_but_the_last_missing_packet_which_fec_recovers()
    {
        SendOnTime(0, 3);
        Send(6, At(6), fec: true); // 3, 4, 5 lost
        _buffer.Poll(At(6) + (100 * Ms));
        float plc = TaggedPayloadDecoder.PlcValue;
        Assert.Equal(new float[] { 0, 1, 2, plc, plc, -5, 6 }, Values);
        for (int i = 1; i < _sink.Blocks.Count; i++)
        {
            Assert.Equal(_sink.Blocks[i - 1].Timestamp + Ticks, _sink.Blocks[i].Timestamp);
        }

        Assert.Equal((3, 1, 2), (_buffer.Statistics.Lost, _buffer.Statistics.ConcealedByFec, _buffer.Statistics.ConcealedByPlc));
    }

    [Fact]
    public void Each_missing_packet_of_a_burst_has_its_own_deadline()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 0, InitialWaitMicros = 0, MinWaitMicros = 60 * Ms });
        SendOnTime(0, 3);
        Send(5, At(5)); // 3 and 4 missing
        long first = _buffer.NextTimeoutMicros!.Value;
        _buffer.Poll(first);
        Assert.Equal(4, _sink.Blocks.Count); // only 3 concealed
        Assert.Equal(first + (20 * Ms), _buffer.NextTimeoutMicros);
        Send(4, first + Ms); // 4 still arrives in time
        Assert.Equal(new float[] { 0, 1, 2, TaggedPayloadDecoder.PlcValue, 4, 5 }, Values);
    }

    [Fact]
    public void Loss_longer_than_the_concealment_limit_is_skipped_and_flagged()
    {
        SendOnTime(0, 3);
        Send(20, At(20)); // 17 lost
        _buffer.Poll(At(20));
        Assert.Equal(new float[] { 0, 1, 2, 20 }, Values);
        var last = _sink.Blocks[^1];
        Assert.True(last.Discontinuity);
        Assert.Equal(_sink.Blocks[0].Timestamp + (20 * Ticks), last.Timestamp); // stream time stays right
        Assert.Equal((17, 17), (_buffer.Statistics.Lost, _buffer.Statistics.Skipped));
    }

    [Fact]
    public void Duplicates_are_counted_and_dropped_whether_held_or_released()
    {
        SendOnTime(0, 3);
        Assert.Equal(JitterInsertResult.Duplicate, Send(2, At(3)));
        Send(4, At(4));
        Assert.Equal(JitterInsertResult.Duplicate, Send(4, At(4) + Ms)); // still held
        Assert.Equal(2, _buffer.Statistics.Duplicates);
        Assert.Equal(3, _sink.Blocks.Count);
    }

    [Fact]
    public void Packet_arriving_after_its_slot_was_concealed_is_late()
    {
        SendOnTime(0, 3);
        Send(4, At(4));
        _buffer.Poll(At(5));
        Assert.Equal(JitterInsertResult.Late, Send(3, At(5) + Ms));
        Assert.Equal(1, _buffer.Statistics.Late);
        Assert.Equal(5, _sink.Blocks.Count);
    }

    [Fact]
    public void Late_arrivals_widen_the_wait()
    {
        SendOnTime(0, 50);
        long before = _buffer.Statistics.CurrentWaitMicros;
        // Every 4th packet comes 60 ms late (after the next ones): the p95 delay grows.
        for (int i = 50; i < 250; i++)
        {
            long now = i % 4 == 0 ? At(i) + (60 * Ms) : At(i);
            Send(i, now);
            _buffer.Poll(now);
        }

        Assert.Equal(new JitterBufferOptions().MinWaitMicros, before);
        Assert.InRange(_buffer.Statistics.CurrentWaitMicros, 59 * Ms, 75 * Ms);
        Assert.InRange(_buffer.Statistics.DelayPercentileMicros, 55 * Ms, 65 * Ms);
    }

    [Fact]
    public void Sequence_number_wrap_at_65535_keeps_order()
    {
        for (int i = 0; i < 12; i++)
        {
            int index = i switch { 5 => 6, 6 => 5, _ => i }; // reorder across the wrap (65535 and 0)
            Send(index, At(i), firstSeq: 65530);
        }

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (float)i), Values);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => _sink.Blocks[0].Sequence + i), _sink.Blocks.Select(b => b.Sequence));
        Assert.Equal(0, _buffer.Statistics.Lost);
    }

    [Fact]
    public void Timestamp_wrap_at_two_to_the_32_keeps_stream_time_monotonic()
    {
        uint firstTs = uint.MaxValue - (3 * Ticks) + 1;
        for (int i = 0; i < 8; i++)
        {
            Send(i, At(i), firstTs: firstTs);
        }

        for (int i = 1; i < 8; i++)
        {
            Assert.Equal(_sink.Blocks[i - 1].Timestamp + Ticks, _sink.Blocks[i].Timestamp);
            Assert.False(_sink.Blocks[i].Discontinuity);
        }

        Assert.Equal(0, _buffer.Statistics.DtxGaps);
    }

    [Fact]
    public void Ssrc_change_flushes_the_old_stream_and_starts_a_new_one()
    {
        SendOnTime(0, 3);
        Send(4, At(4)); // held behind a hole
        Send(0, At(5), ssrc: 2, firstSeq: 7, firstTs: 9, id: 100);
        Send(1, At(6), ssrc: 2, firstSeq: 7, firstTs: 9, id: 101);
        Assert.Equal(new float[] { 0, 1, 2, 4, 100, 101 }, Values);
        Assert.True(_sink.Blocks[3].Discontinuity); // old stream's gap skipped at flush
        Assert.True(_sink.Blocks[4].Discontinuity); // new stream
        Assert.Equal(2u, _sink.Blocks[4].Ssrc);
        Assert.Equal(1, _buffer.Statistics.SsrcChanges);
        Assert.Equal(0, _buffer.Count);
    }

    [Fact]
    public void Dtx_gap_is_a_discontinuity_not_a_loss()
    {
        SendOnTime(0, 3);
        // Sequence continues at 3, but the timestamp jumps 400 ms (sender stopped during silence).
        var header = new RtpHeader(111, 1003, (uint)(50_000 + (23 * Ticks)), 1, Marker: true);
        int length = RtpPacketWriter.Write(_packet, header, TaggedPayloadDecoder.Payload(3));
        Assert.True(RtpPacketView.TryParse(_packet.AsSpan(0, length), out var view, out _));
        _buffer.Insert(view, At(23));

        var block = _sink.Blocks[^1];
        Assert.True(block.Discontinuity);
        Assert.True(block.Marker);
        Assert.Equal(_sink.Blocks[0].Timestamp + (23 * Ticks), block.Timestamp);
        Assert.Equal(1, _buffer.Statistics.DtxGaps);
        Assert.Equal(0, _buffer.Statistics.Lost);
        Assert.Equal(0, _buffer.Statistics.ConcealedByPlc);
    }

    [Fact]
    public void Packet_too_far_ahead_forces_release_and_the_ring_stays_bounded()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink,
            new JitterBufferOptions { StartupHoldMicros = 0, InitialWaitMicros = 0, Capacity = 8, MinWaitMicros = 1_000_000, MaxWaitMicros = 1_000_000 });
        SendOnTime(0, 2);
        // Packet 2 is missing and would be waited for 1 s; 3..20 arrive meanwhile.
        for (int i = 3; i <= 20; i++)
        {
            Assert.Equal(JitterInsertResult.Accepted, Send(i, At(i)));
            Assert.InRange(_buffer.Count, 0, 8);
        }

        Assert.True(_buffer.Statistics.Overflows > 0);
        Assert.Equal(new float[] { 0, 1 }.Concat(Enumerable.Range(3, 18).Select(i => (float)i)), Values);
        Assert.Equal(1, _buffer.Statistics.Skipped);
        Assert.True(_sink.Blocks[2].Discontinuity);
        Assert.Equal(8, _buffer.Statistics.MaxHeld);
    }

    [Fact]
    public void Telephone_event_packets_take_their_sequence_numbers_without_counting_as_loss()
    {
        SendOnTime(0, 3);
        var header = new RtpHeader(101, 1003, 50_000 + (3 * Ticks), 1, Marker: true);
        int length = RtpPacketWriter.Write(_packet, header, new byte[] { 5, 0x8a, 0x03, 0x20 }); // RFC 4733 digit 5
        Assert.True(RtpPacketView.TryParse(_packet.AsSpan(0, length), out var eventPacket, out _));
        Send(4, At(4));
        Assert.Equal(3, _sink.Blocks.Count); // 4 waits behind 3...
        Assert.Equal(JitterInsertResult.Accepted, _buffer.InsertWithoutAudio(eventPacket, At(4) + Ms));
        Assert.Equal(new float[] { 0, 1, 2, 4 }, Values); // ...which the event fills
        Assert.Equal(0, _buffer.Statistics.Lost);
        Assert.Equal(1, _buffer.Statistics.WithoutAudio);
        Assert.True(_sink.Blocks[3].Discontinuity); // no audio for the event's 20 ms
        Assert.Equal(_sink.Blocks[0].Timestamp + (4 * Ticks), _sink.Blocks[3].Timestamp);
    }

    [Fact]
    public void Rejected_payload_is_concealed_in_place()
    {
        SendOnTime(0, 2);
        Send(2, At(2), reject: true);
        Send(3, At(3));
        Assert.Equal(new float[] { 0, 1, TaggedPayloadDecoder.PlcValue, 3 }, Values);
        Assert.Equal(1, _buffer.Statistics.DecodeErrors);
        Assert.False(_sink.Blocks[3].Discontinuity);
    }

    [Fact]
    public void Oversized_payload_is_refused()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 0, InitialWaitMicros = 0, MaxPayloadBytes = 4 });
        Assert.Equal(JitterInsertResult.TooLarge, Send(0, At(0)));
        Assert.Equal(1, _buffer.Statistics.TooLarge);
        Assert.Empty(_sink.Blocks);
    }

    [Fact]
    public void A_big_sequence_jump_is_dropped_until_the_next_packet_confirms_a_restart()
    {
        SendOnTime(0, 3);
        Assert.Equal(JitterInsertResult.SequenceJump, Send(10_000, At(3)));
        Assert.Equal(JitterInsertResult.Accepted, Send(3, At(3)));
        Assert.Equal(JitterInsertResult.SequenceJump, Send(20_000, At(4)));
        Assert.Equal(JitterInsertResult.Accepted, Send(20_001, At(5)));
        Assert.Equal(new float[] { 0, 1, 2, 3, 20_001 }, Values);
        Assert.True(_sink.Blocks[^1].Discontinuity);
        Assert.Equal(1, _buffer.Statistics.Restarts);
        Assert.Equal(2, _buffer.Statistics.SequenceJumps);
    }

    [Fact]
    public void Flush_releases_everything_held()
    {
        _buffer.Dispose();
        _buffer = new JitterBuffer(_decoder, _sink, new JitterBufferOptions { StartupHoldMicros = 0, InitialWaitMicros = 0, MinWaitMicros = 200 * Ms });
        SendOnTime(0, 2);
        Send(3, At(3));
        Send(5, At(5));
        _buffer.Flush();
        Assert.Equal(new float[] { 0, 1, 3, 5 }, Values);
        Assert.Equal(0, _buffer.Count);
        Assert.Null(_buffer.NextTimeoutMicros);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(-100)]
    public void Sender_clock_drift_of_100_ppm_over_10_minutes_neither_grows_nor_starves_the_buffer(int ppm)
    {
        // 10 minutes of 20 ms packets whose media clock runs ppm faster or slower than ours, with
        // 0-15 ms of random network delay (no reordering). A playout buffer would drift by 60 ms
        // over this time; this one releases each packet on arrival, so nothing accumulates.
        _sink.Record = false;
        var random = new Random(ppm);
        const int packets = 30_000;
        long lastArrival = 0;
        int maxHeldLastMinute = 0;
        for (int i = 0; i < packets; i++)
        {
            long sendMicros = (long)(i * 20_000 * (1 - (ppm * 1e-6)));
            long arrival = Math.Max(lastArrival, sendMicros + 5_000 + random.Next(0, 15_000));
            lastArrival = arrival;
            Assert.Equal(JitterInsertResult.Accepted, Send(i, arrival, firstSeq: 1, firstTs: 0));
            _buffer.Poll(arrival);
            Assert.Equal(0, _buffer.Count); // released at once, every time
            if (i >= packets - 3000)
            {
                maxHeldLastMinute = Math.Max(maxHeldLastMinute, _buffer.Count);
            }
        }

        Assert.Equal((long)packets * 960, _sink.TotalSamples);
        Assert.Equal(0, _buffer.Statistics.Lost);
        Assert.Equal(0, maxHeldLastMinute);
        Assert.InRange(_buffer.Statistics.DelayPercentileMicros, 10 * Ms, 16 * Ms); // tracks the 15 ms jitter, not the drift
    }

    [Fact]
    public void Steady_state_insert_and_release_allocate_nothing()
    {
        _sink.Record = false;
        SendOnTime(0, 200);
        var packets = new byte[400][];
        for (int i = 0; i < packets.Length; i++)
        {
            var header = new RtpHeader(111, (ushort)(1000 + 200 + i), (uint)(50_000 + ((200 + i) * Ticks)), 1);
            packets[i] = new byte[64];
            int length = RtpPacketWriter.Write(packets[i], header, TaggedPayloadDecoder.Payload(200 + i, fec: true));
            Array.Resize(ref packets[i], length);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < packets.Length; i++)
        {
            // Every 10th packet is reordered with its successor, every 25th lost (FEC path).
            int index = i % 10 == 3 ? i + 1 : i % 10 == 4 ? i - 1 : i;
            if (index % 25 == 7)
            {
                continue;
            }

            RtpPacketView.TryParse(packets[index], out var view, out _);
            _buffer.Insert(view, At(200 + i));
            _buffer.Poll(At(200 + i));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(_buffer.Statistics.ConcealedByFec > 0);
    }
}
