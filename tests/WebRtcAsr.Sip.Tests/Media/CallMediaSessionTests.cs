using System.Net;
using WebRtcAsr.Media.Codecs;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Media.Rtp;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Sdp;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// The per-call media state machine on an injected clock: audio and DTMF routing, inactivity and hold, codec
/// change, symmetric RTP latching and receiver reports. Real G.711 packets through the real audio path.
/// </summary>
public class CallMediaSessionTests
{
    private const long Ms = 1000;
    private const uint Ssrc = 0x1234_5678;
    private static readonly IPEndPoint Caller = new(IPAddress.Loopback, 30_000);
    private static readonly NegotiatedCodec Pcmu = new(0, "PCMU", 8000, 1, null);
    private static readonly NegotiatedCodec Pcma = new(8, "PCMA", 8000, 1, null);
    private static readonly NegotiatedCodec Events = new(101, "telephone-event", 8000, 1, "0-16");

    private static SipMediaSession Media(IPEndPoint? remote = null, bool onHold = false, params NegotiatedCodec[] codecs) =>
        new(40_000, remote ?? Caller, null, onHold ? SdpDirection.SendOnly : SdpDirection.SendRecv, onHold,
            codecs.Length == 0 ? [Pcmu, Pcma] : codecs, Events, 20);

    /// <summary>20 ms of a 440 Hz tone at packet <paramref name="index"/>, G.711-encoded.</summary>
    private static byte[] AudioPacket(int index, byte payloadType = 0, ushort? sequence = null)
    {
        var samples = new float[160];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.3f * MathF.Sin(2 * MathF.PI * 440 * ((index * 160) + i) / 8000f);
        }

        var payload = new byte[160];
        if (payloadType == 8)
        {
            G711.EncodeALaw(samples, payload);
        }
        else
        {
            G711.EncodeMuLaw(samples, payload);
        }

        var packet = new byte[RtpPacketView.FixedHeaderLength + payload.Length];
        RtpPacketWriter.Write(packet, new RtpHeader(payloadType, sequence ?? (ushort)(1000 + index), (uint)(50_000 + (index * 160)), Ssrc), payload);
        return packet;
    }

    private static byte[] EventPacket(ushort sequence, uint timestamp, bool marker, byte code, bool end, ushort duration)
    {
        var payload = new byte[4];
        new TelephoneEvent(code, end, 10, duration).WriteTo(payload);
        var packet = new byte[RtpPacketView.FixedHeaderLength + 4];
        RtpPacketWriter.Write(packet, new RtpHeader(101, sequence, timestamp, Ssrc, marker), payload);
        return packet;
    }

    private static List<SipCallEvent> Events_(CallMediaSession session)
    {
        var events = new List<SipCallEvent>();
        while (session.TryPollEvent(out var e))
        {
            events.Add(e!);
        }

        return events;
    }

    private sealed class Collector : ICallDtmfConsumer
    {
        public List<float> Samples { get; } = [];
        public List<CallDtmf> Dtmf { get; } = [];
        public long FirstStreamSample { get; private set; } = -1;

        public void OnAudio(in AudioFrame frame)
        {
            Assert.Equal(16_000, frame.SampleRate);
            if (FirstStreamSample < 0)
            {
                FirstStreamSample = frame.StreamSample;
            }

            Samples.AddRange(frame.Samples.ToArray());
        }

        public void OnDtmf(CallDtmf dtmf) => Dtmf.Add(dtmf);
    }

    [Fact]
    public void Audio_goes_to_the_consumer_at_16_kHz_and_dtmf_on_the_audio_ssrc_is_a_key_press_not_loss()
    {
        var consumer = new Collector();
        using var session = new CallMediaSession("c1", consumer);
        session.Start(Media(), 0);
        ushort seq = 1000;
        long now = 0;
        for (var i = 0; i < 50; i++, now += 20 * Ms)
        {
            session.HandleRtp(AudioPacket(i, sequence: seq++), Caller, now);
        }

        // RFC 4733 §2.6: the key press interrupts the audio on the same SSRC, sharing its sequence numbers.
        uint start = 50_000 + (50 * 160);
        session.HandleRtp(EventPacket(seq++, start, true, 4, false, 400), Caller, now);
        session.HandleRtp(EventPacket(seq++, start, false, 4, false, 800), Caller, now += 50 * Ms);
        for (var i = 0; i < 3; i++)
        {
            session.HandleRtp(EventPacket(seq++, start, false, 4, true, 960), Caller, now += 20 * Ms);
        }

        for (var i = 56; i < 80; i++, now += 20 * Ms)
        {
            session.HandleRtp(AudioPacket(i, sequence: seq++), Caller, now);
        }

        session.Close();
        var dtmf = Assert.IsType<CallDtmf>(Assert.Single(Events_(session)));
        Assert.Equal('4', dtmf.Key);
        Assert.Equal(TimeSpan.FromSeconds(1), dtmf.StreamTime); // 50 packets of 20 ms after the first audio
        Assert.Equal(TimeSpan.FromMilliseconds(120), dtmf.Duration);
        Assert.Same(dtmf, Assert.Single(consumer.Dtmf));
        Assert.Equal(0, session.ReceiveStatistics!.CumulativeLost);
        Assert.Equal(74, session.Statistics.AudioPackets);
        Assert.Equal(5, session.Statistics.TelephoneEventPackets);

        // Every audio packet came out (74 × 20 ms at 16 kHz); the key press time is a gap in stream time.
        Assert.Equal(74 * 320, consumer.Samples.Count);
        Assert.Equal(consumer.Samples.Count, session.Statistics.SamplesOut);
    }

    [Fact]
    public void No_rtp_for_the_inactivity_timeout_reports_media_stopped_once()
    {
        var options = new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(30) };
        using var session = new CallMediaSession("c2", new Collector(), options);
        session.Start(Media(), 0);
        session.HandleRtp(AudioPacket(0), Caller, 1_000 * Ms);
        Assert.True(session.NextTimeoutMicros <= 31_000 * Ms);

        session.HandleTimeout((31_000 * Ms) - 1);
        Assert.Empty(Events_(session).OfType<CallMediaStopped>());
        session.HandleTimeout(31_000 * Ms);
        var stopped = Assert.Single(Events_(session).OfType<CallMediaStopped>());
        Assert.Equal(TimeSpan.FromSeconds(30), stopped.Silence);
        Assert.Equal("c2", stopped.CallId);

        session.HandleTimeout(90_000 * Ms);
        Assert.Empty(Events_(session).OfType<CallMediaStopped>());
    }

    [Fact]
    public void A_call_that_never_sends_rtp_times_out_from_its_start()
    {
        using var session = new CallMediaSession("c3", new Collector(), new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(10) });
        session.Start(Media(), 5_000 * Ms);
        session.HandleTimeout(14_999 * Ms);
        Assert.Empty(Events_(session));
        session.HandleTimeout(15_000 * Ms);
        Assert.Single(Events_(session).OfType<CallMediaStopped>());
    }

    [Fact]
    public void Hold_suspends_the_inactivity_check_and_unhold_restarts_it_from_then()
    {
        using var session = new CallMediaSession("c4", new Collector(), new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(30) });
        session.Start(Media(), 0);
        session.HandleRtp(AudioPacket(0), Caller, 1_000 * Ms);
        session.Update(Media(onHold: true), 2_000 * Ms);
        Assert.True(session.OnHold);

        session.HandleTimeout(600_000 * Ms); // ten minutes of music-on-hold silence
        Assert.Empty(Events_(session).OfType<CallMediaStopped>());

        session.Update(Media(), 600_000 * Ms);
        session.HandleTimeout(629_999 * Ms);
        Assert.Empty(Events_(session).OfType<CallMediaStopped>());
        session.HandleTimeout(630_000 * Ms);
        Assert.Single(Events_(session).OfType<CallMediaStopped>());
    }

    [Fact]
    public void A_codec_change_by_re_invite_keeps_one_audio_timeline()
    {
        var consumer = new Collector();
        using var session = new CallMediaSession("c5", consumer);
        session.Start(Media(codecs: [Pcmu]), 0);
        long now = 0;
        for (var i = 0; i < 25; i++, now += 20 * Ms)
        {
            session.HandleRtp(AudioPacket(i, 0), Caller, now);
        }

        // re-INVITE narrowing to PCMA; PT 8 was not in the first answer.
        session.Update(Media(codecs: [Pcma]), now);
        for (var i = 25; i < 50; i++, now += 20 * Ms)
        {
            session.HandleRtp(AudioPacket(i, 8), Caller, now);
        }

        session.Close();
        Assert.Equal(1, session.AudioStatistics.CodecSwitches);
        Assert.Equal(0, session.AudioStatistics.UnknownPayloadType);
        Assert.Equal(50 * 320, consumer.Samples.Count);

        // Both halves decode to the same tone: the PCMA half correlates with the PCMU half shifted by a whole
        // number of periods (440 Hz at 16 kHz repeats every 400 samples: 25 packets = 8000 samples = 20 periods).
        double dot = 0, a = 0, b = 0;
        for (var i = 1000; i < 7000; i++)
        {
            dot += consumer.Samples[i] * consumer.Samples[i + 8000];
            a += consumer.Samples[i] * consumer.Samples[i];
            b += consumer.Samples[i + 8000] * consumer.Samples[i + 8000];
        }

        Assert.True(dot / Math.Sqrt(a * b) > 0.99, $"correlation {dot / Math.Sqrt(a * b)}");
    }

    [Fact]
    public void Rtp_from_behind_nat_latches_the_source_and_others_are_refused_until_it_falls_silent()
    {
        var sdpAddress = new IPEndPoint(IPAddress.Parse("10.0.0.8"), 4000); // private address in the SDP
        var natted = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 61_000);
        var stranger = new IPEndPoint(IPAddress.Parse("203.0.113.66"), 7000);
        using var session = new CallMediaSession("c6", new Collector(), new CallMediaOptions { RelatchAfter = TimeSpan.FromSeconds(2) });
        session.Start(Media(sdpAddress), 0);
        Assert.Equal(new IPEndPoint(sdpAddress.Address, 4001), session.RemoteRtcp);

        session.HandleRtp(AudioPacket(0), natted, 0);
        Assert.Equal(natted, session.RemoteRtp);
        Assert.Equal(new IPEndPoint(natted.Address, 61_001), session.RemoteRtcp);
        Assert.Equal(1, session.Statistics.Latches);

        session.HandleRtp(AudioPacket(1), stranger, 10 * Ms);
        session.HandleRtp(AudioPacket(2), natted, 20 * Ms);
        session.HandleRtp(AudioPacket(3), stranger, 1_000 * Ms);
        Assert.Equal(2, session.Statistics.RtpFromOtherSources);
        Assert.Equal(natted, session.RemoteRtp);

        // The latched source fell silent for RelatchAfter (SBC fail-over): the new source takes over.
        session.HandleRtp(AudioPacket(4), stranger, 2_020 * Ms);
        Assert.Equal(stranger, session.RemoteRtp);
        Assert.Equal(2, session.Statistics.Latches);
    }

    [Fact]
    public void Packets_of_payload_types_not_negotiated_neither_latch_nor_keep_the_call_alive()
    {
        var other = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 9000);
        using var session = new CallMediaSession("c7", new Collector(), new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(5) });
        session.Start(Media(), 0);
        for (var i = 0; i < 10; i++)
        {
            session.HandleRtp(AudioPacket(i, payloadType: 18), other, (i + 1) * 1_000 * Ms); // G.729, not offered
        }

        session.HandleRtp([0x80, 0x00], Caller, 0);
        Assert.Equal(1, session.Statistics.RtpMalformed);
        Assert.Equal(0, session.Statistics.Latches);
        Assert.Equal(10, session.AudioStatistics.UnknownPayloadType);
        session.HandleTimeout(5_000 * Ms);
        Assert.Single(Events_(session).OfType<CallMediaStopped>());
    }

    [Fact]
    public void Receiver_reports_go_every_interval_to_the_rtcp_address_and_answer_sender_reports()
    {
        using var session = new CallMediaSession("c8", new Collector(), new CallMediaOptions { RtcpInterval = TimeSpan.FromSeconds(5) }, reporterSsrc: 0xCAFE);
        session.Start(Media(), 0);
        for (var i = 0; i < 100; i++)
        {
            if (i != 40)
            {
                session.HandleRtp(AudioPacket(i), Caller, i * 20 * Ms); // one packet lost
            }
        }

        // A sender report from the caller's RTCP port: later reports carry its LSR/DLSR.
        var sr = new byte[28];
        sr[0] = 0x80;
        sr[1] = 200;
        sr[3] = 6;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(4), Ssrc);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(sr.AsSpan(8), 0x1122_3344_5566_7788);
        var callerRtcp = new IPEndPoint(IPAddress.Loopback, 30_001);
        session.HandleRtcp(sr, new IPEndPoint(IPAddress.Parse("203.0.113.66"), 30_001), 3_000 * Ms); // not the caller
        Assert.Equal(1, session.Statistics.RtcpFromOtherSources);
        session.HandleRtcp(sr, callerRtcp, 4_000 * Ms);
        Assert.Equal(1, session.Statistics.RtcpReceived);

        session.HandleTimeout(4_999 * Ms);
        Assert.False(session.TryPollTransmit(out _, out _));
        session.HandleTimeout(5_000 * Ms);
        Assert.True(session.TryPollTransmit(out var datagram, out var destination));
        Assert.Equal(callerRtcp, destination);

        var reader = new RtcpCompoundReader(datagram.Span);
        Assert.True(reader.MoveNext());
        Assert.Equal((byte)RtcpPacketType.ReceiverReport, reader.Current.PacketType);
        Assert.True(ReceiverReportView.TryParse(reader.Current, out var rr, out _));
        Assert.Equal(0xCAFEu, rr.Ssrc);
        var block = rr.GetReport(0);
        Assert.Equal(Ssrc, block.Ssrc);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal(0x3344_5566u, block.LastSenderReport);
        Assert.Equal((uint)65536, block.DelaySinceLastSenderReport); // 1 s in 1/65536 s
        Assert.True(reader.MoveNext());
        Assert.Equal((byte)RtcpPacketType.SourceDescription, reader.Current.PacketType);
        Assert.Equal(1, session.Statistics.RtcpSent);
        Assert.Equal(10_000 * Ms, session.NextTimeoutMicros);
    }

    [Fact]
    public void Rtp_that_beats_the_call_start_is_held_and_played_in_and_beyond_the_limit_counted()
    {
        var consumer = new Collector();
        using var session = new CallMediaSession("c10");
        for (var i = 0; i < 60; i++)
        {
            session.HandleRtp(AudioPacket(i), Caller, i * 20 * Ms); // 1.2 s before the ACK: 50 are held
        }

        Assert.Null(session.NextTimeoutMicros);
        Assert.Equal(50, session.Statistics.RtpHeldBeforeStart);
        Assert.Equal(10, session.Statistics.RtpBeforeStart);
        Assert.Empty(consumer.Samples);

        session.Start(Media(), 1_200 * Ms, consumer);
        for (var i = 60; i < 70; i++)
        {
            session.HandleRtp(AudioPacket(i), Caller, i * 20 * Ms);
        }

        session.Close();
        Assert.Equal(60, session.Statistics.AudioPackets); // 50 held + 10 after the start
        Assert.Equal(70, session.Statistics.RtpDatagrams);
        Assert.Equal(60, session.AudioStatistics.Packets);
        Assert.Equal(10, session.ReceiveStatistics!.CumulativeLost); // the ten beyond the limit
        Assert.Equal(0, consumer.FirstStreamSample); // the timeline starts at the first held packet
        Assert.True(consumer.Samples.Count >= 60 * 320, $"{consumer.Samples.Count} samples");
    }

    [Fact]
    public void A_steady_audio_stream_allocates_nothing_per_packet()
    {
        using var session = new CallMediaSession("c9", new Collector0());
        session.Start(Media(), 0);
        var packets = Enumerable.Range(0, 600).Select(i => AudioPacket(i)).ToArray();
        for (var i = 0; i < 100; i++)
        {
            session.HandleRtp(packets[i], Caller, i * 20 * Ms);
            session.HandleTimeout(i * 20 * Ms);
            session.TryPollTransmit(out _, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 100; i < 600; i++)
        {
            session.HandleRtp(packets[i], Caller, i * 20 * Ms);
            session.HandleTimeout(i * 20 * Ms); // receiver reports included (every 5 s)
            session.TryPollTransmit(out _, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2, session.Statistics.RtcpSent);
    }

    /// <summary>A consumer that keeps nothing (the allocation test measures the media path alone).</summary>
    private sealed class Collector0 : IAudioFrameConsumer
    {
        public void OnAudio(in AudioFrame frame)
        {
        }
    }
}
