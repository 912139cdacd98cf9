using WebRtcAsr.Media.Rtp;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// The packet stream of RFC 4733 §2.5.1: a key press is one RTP timestamp (the event's start); the first packet
/// carries the marker bit, updates carry the growing duration, and the last is sent three times with the E bit
/// (§2.5.1.4). Here a sender at 50 ms update intervals, 8 kHz clock.
/// </summary>
public class TelephoneEventDetectorTests
{
    private const long Ms = 1000;

    private static byte[] Payload(byte code, bool end, ushort duration, byte volume = 10)
    {
        var bytes = new byte[4];
        new TelephoneEvent(code, end, volume, duration).WriteTo(bytes);
        return bytes;
    }

    /// <summary>One press as a sender emits it: start (M), updates every 400 units, three end packets.</summary>
    private static IEnumerable<(uint Timestamp, bool Marker, byte[] Payload, long At)> Press(byte code, uint timestamp, ushort duration, long startMicros)
    {
        yield return (timestamp, true, Payload(code, false, 400), startMicros);
        long at = startMicros;
        for (ushort d = 800; d < duration; d += 400)
        {
            at += 50 * Ms;
            yield return (timestamp, false, Payload(code, false, d), at);
        }

        for (var i = 0; i < 3; i++)
        {
            at += 50 * Ms;
            yield return (timestamp, false, Payload(code, true, duration), at);
        }
    }

    private static List<TelephoneEventKeyPress> Drain(TelephoneEventDetector detector)
    {
        var presses = new List<TelephoneEventKeyPress>();
        while (detector.TryPoll(out var press))
        {
            presses.Add(press);
        }

        return presses;
    }

    [Fact]
    public void One_press_with_three_end_packets_is_one_key_press_with_its_final_duration()
    {
        var detector = new TelephoneEventDetector();
        foreach (var (ts, m, payload, at) in Press(5, 16_000, 1600, 0))
        {
            detector.Receive(ts, m, payload, at);
        }

        var press = Assert.Single(Drain(detector));
        Assert.Equal('5', press.Key);
        Assert.Equal(16_000, press.RtpTimestamp - (1L << 32)); // extended around the first timestamp seen
        Assert.Equal(TimeSpan.FromMilliseconds(200), press.Duration);
        Assert.True(press.Ended);
        Assert.Equal(2, detector.Statistics.Redundant);
        Assert.Null(detector.NextTimeoutMicros);
    }

    [Fact]
    public void Digits_in_a_row_including_a_repeated_key_are_each_reported_once()
    {
        // "1 2 2 #": the repeated 2 is a new event because its timestamp is new (§2.5.1.2).
        var detector = new TelephoneEventDetector();
        var keys = new byte[] { 1, 2, 2, 11 };
        for (var i = 0; i < keys.Length; i++)
        {
            foreach (var (ts, m, payload, at) in Press(keys[i], (uint)(8000 + (i * 4000)), 800, i * 500 * Ms))
            {
                detector.Receive(ts, m, payload, at);
            }
        }

        Assert.Equal("122#", string.Concat(Drain(detector).Select(p => p.Key)));
        Assert.Equal(0, detector.Statistics.EndsLost);
    }

    [Fact]
    public void End_packets_retransmitted_late_or_out_of_order_do_not_repeat_the_press()
    {
        var detector = new TelephoneEventDetector();
        var packets = Press(7, 1000, 1200, 0).ToList();

        // The first end packet overtakes the last update; an end packet is replayed after the next key's start.
        (packets[1], packets[2]) = (packets[2], packets[1]);
        foreach (var (ts, m, payload, at) in packets)
        {
            detector.Receive(ts, m, payload, at);
        }

        detector.Receive(5000, true, Payload(8, false, 400), 600 * Ms);
        detector.Receive(1000, false, Payload(7, true, 1200), 610 * Ms);
        detector.Flush();

        var presses = Drain(detector);
        Assert.Equal("78", string.Concat(presses.Select(p => p.Key)));
        Assert.Equal(TimeSpan.FromMilliseconds(150), presses[0].Duration);
        Assert.True(presses[0].Ended);
    }

    [Fact]
    public void A_press_whose_end_packets_are_lost_is_closed_by_the_next_event()
    {
        var detector = new TelephoneEventDetector();
        detector.Receive(100, true, Payload(3, false, 400), 0);
        detector.Receive(100, false, Payload(3, false, 800), 50 * Ms);
        detector.Receive(4100, true, Payload(4, false, 400), 400 * Ms);

        var first = Assert.Single(Drain(detector));
        Assert.Equal('3', first.Key);
        Assert.False(first.Ended);
        Assert.Equal(TimeSpan.FromMilliseconds(100), first.Duration);
        Assert.Equal(1, detector.Statistics.EndsLost);
    }

    [Fact]
    public void A_press_whose_end_packets_are_lost_is_closed_by_the_timeout()
    {
        var detector = new TelephoneEventDetector(new TelephoneEventDetectorOptions { EndTimeout = TimeSpan.FromMilliseconds(500) });
        detector.Receive(100, true, Payload(0, false, 400), 10 * Ms);
        detector.Receive(100, false, Payload(0, false, 800), 60 * Ms);
        Assert.Equal(560 * Ms, detector.NextTimeoutMicros);

        detector.Poll(559 * Ms);
        Assert.Empty(Drain(detector));
        detector.Poll(560 * Ms);
        var press = Assert.Single(Drain(detector));
        Assert.Equal('0', press.Key);
        Assert.False(press.Ended);

        // The (very) late end packet does not report it again.
        detector.Receive(100, false, Payload(0, true, 1200), 700 * Ms);
        Assert.Empty(Drain(detector));
    }

    [Fact]
    public void A_press_whose_start_was_lost_is_still_reported_and_counted()
    {
        var detector = new TelephoneEventDetector();
        detector.Receive(100, false, Payload(12, false, 800), 0);
        detector.Receive(100, false, Payload(12, true, 960), 50 * Ms);
        var press = Assert.Single(Drain(detector));
        Assert.Equal('A', press.Key);
        Assert.Equal(1, detector.Statistics.StartsWithoutMarker);
    }

    [Fact]
    public void Only_end_packets_surviving_still_give_the_press()
    {
        var detector = new TelephoneEventDetector();
        detector.Receive(900, false, Payload(10, true, 1000), 0);
        detector.Receive(900, false, Payload(10, true, 1000), 1 * Ms);
        detector.Receive(900, false, Payload(10, true, 1000), 2 * Ms);
        var press = Assert.Single(Drain(detector));
        Assert.Equal('*', press.Key);
        Assert.Equal(TimeSpan.FromMilliseconds(125), press.Duration);
    }

    [Fact]
    public void Events_across_the_timestamp_wrap_stay_in_order()
    {
        var detector = new TelephoneEventDetector();
        foreach (var (ts, m, payload, at) in Press(1, uint.MaxValue - 100, 800, 0))
        {
            detector.Receive(ts, m, payload, at);
        }

        foreach (var (ts, m, payload, at) in Press(2, 3900, 800, 500 * Ms))
        {
            detector.Receive(ts, m, payload, at);
        }

        var presses = Drain(detector);
        Assert.Equal("12", string.Concat(presses.Select(p => p.Key)));
        Assert.Equal(4001, presses[1].RtpTimestamp - presses[0].RtpTimestamp);
    }

    [Fact]
    public void A_key_held_past_the_duration_field_continues_in_a_new_segment_as_one_press()
    {
        // §2.5.1.3: at 0xFFFF units (8.19 s at 8 kHz) the sender starts a new segment at timestamp + 0xFFFF,
        // marker bit clear; the press is one, its duration the sum.
        var detector = new TelephoneEventDetector();
        detector.Receive(10_000, true, Payload(0, false, 400), 0);
        detector.Receive(10_000, false, Payload(0, false, 0xFFFF), 8_190 * Ms);
        detector.Receive(10_000 + 0xFFFF, false, Payload(0, false, 400), 8_240 * Ms);
        for (var i = 0; i < 3; i++)
        {
            detector.Receive(10_000 + 0xFFFF, false, Payload(0, true, 8000), (9_200 + i) * Ms);
        }

        var press = Assert.Single(Drain(detector));
        Assert.Equal('0', press.Key);
        Assert.Equal(10_000, press.RtpTimestamp - (1L << 32));
        Assert.Equal(TimeSpan.FromTicks((0xFFFF + 8000) * TimeSpan.TicksPerSecond / 8000), press.Duration);
        Assert.True(press.Ended);
        Assert.Equal(1, detector.Statistics.Segments);
    }

    [Fact]
    public void Non_dtmf_events_and_short_payloads_are_counted_not_reported()
    {
        var detector = new TelephoneEventDetector();
        detector.Receive(1, true, Payload(16, true, 800), 0); // flash
        detector.Receive(2, true, [0x01, 0x80], 0);
        Assert.Empty(Drain(detector));
        Assert.Equal(1, detector.Statistics.NotDtmf);
        Assert.Equal(1, detector.Statistics.Malformed);
    }

    [Fact]
    public void Untaken_presses_are_bounded()
    {
        var detector = new TelephoneEventDetector(new TelephoneEventDetectorOptions { MaxPendingPresses = 2 });
        for (uint i = 0; i < 5; i++)
        {
            detector.Receive(i * 1000, true, Payload((byte)i, true, 400), i);
        }

        Assert.Equal("34", string.Concat(Drain(detector).Select(p => p.Key)));
        Assert.Equal(3, detector.Statistics.PressesDropped);
    }
}
