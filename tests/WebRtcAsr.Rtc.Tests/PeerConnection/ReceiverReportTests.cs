using WebRtcAsr.TestSupport;
using System.Buffers.Binary;
using WebRtcAsr.Media.Rtcp;
using WebRtcAsr.Rtc.Common;
using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Rtc.Tests.PeerConnection;

/// <summary>
/// The server peer's RTCP receiver reports about the client's audio, end to end over SRTCP between
/// two in-memory peers on a virtual clock: the client reads them back (loss, highest sequence,
/// jitter, and round-trip time from LSR/DLSR), they come on the randomized interval, and the
/// steady state of receiving audio and reporting on it allocates nothing.
/// </summary>
public sealed class ReceiverReportTests
{
    private const long Frame = 20_000;

    [Fact]
    public void The_client_reads_loss_and_highest_sequence_from_the_servers_reports()
    {
        using var pair = Connected();
        var dropped = new HashSet<ushort> { 5, 17, 18 };
        pair.DropFromClient = d => PacketClassifier.Classify(d) == PacketKind.Rtp && dropped.Contains(BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2)));
        SendAudio(pair, 0, 50);

        Assert.True(pair.RunUntil(() => pair.Client.RemoteReceptionReport is { ExtendedHighestSequence: 49 }, 10_000_000));
        var report = pair.Client.RemoteReceptionReport!.Value;
        Assert.Equal(pair.Client.AudioSsrc, report.Ssrc);
        Assert.Equal(3, report.CumulativeLost);
        Assert.Equal(0u, report.Jitter); // sent every 20 ms exactly, delivered after a constant delay
        Assert.True(pair.Server.Counters.RtcpSent >= 1);
        Assert.True(pair.Client.Counters.RtcpReceived >= 1);
        Assert.Equal(0, pair.Client.Counters.DroppedSrtp);
        Assert.Equal(pair.Server.ReceiverReports!.ReportsWritten, pair.Server.Counters.RtcpSent);
    }

    [Fact]
    public void Round_trip_time_from_lsr_and_dlsr_is_the_links_two_delays()
    {
        using var pair = Connected(); // 10 ms each way
        SendAudio(pair, 0, 10);
        ulong ntp = NtpTime.FromUnixMicros(pair.Now); // the virtual clock stands in for wall time
        Assert.True(pair.Client.SendRtcp(SenderReport(pair.Client.AudioSsrc, ntp), pair.Now));
        pair.Flush();

        uint lsr = NtpTime.Middle32(ntp);
        Assert.True(pair.RunUntil(() => pair.Client.RemoteReceptionReport?.LastSenderReport == lsr, 10_000_000));
        var report = pair.Client.RemoteReceptionReport!.Value;
        Assert.True(report.DelaySinceLastSenderReport > 0);

        // RFC 3550 6.4.1: RTT = A - LSR - DLSR, in 1/65536 s; 20 ms is 1310.7 units.
        uint arrival = NtpTime.Middle32(NtpTime.FromUnixMicros(pair.Client.RemoteReceptionReportAtMicros!.Value));
        uint rtt = arrival - lsr - report.DelaySinceLastSenderReport;
        Assert.InRange(rtt, 1309u, 1312u);
    }

    [Fact]
    public void Reports_come_on_the_randomized_interval_for_as_long_as_the_audio_flows()
    {
        using var pair = Connected();
        SendAudio(pair, 0, 25 * 50); // 25 s

        // The first report comes 0.82-2.46 s after Connected, then one every 1.64-4.92 s:
        // 1 + 22.5 / 4.92 = 5 at least, 1 + 24.2 / 1.64 = 15 at most.
        long reports = pair.Client.Counters.RtcpReceived;
        Assert.InRange(reports, 5, 15);
        Assert.InRange(pair.Server.Counters.RtcpSent - reports, 0, 1); // one may still be on the wire
        Assert.Equal(PeerConnectionState.Connected, pair.Server.State);
        Assert.True(pair.Server.ReceiverReports!.NextReportMicros > pair.Now);
        Assert.True(pair.Server.NextTimeoutMicros <= pair.Server.ReceiverReports.NextReportMicros);
    }

    [Fact]
    public void Receiving_audio_and_sending_reports_allocates_nothing()
    {
        using var pair = Connected();
        const int count = 1000; // 20 s of audio: inside the ICE consent timeout, so no checks are needed
        var datagrams = ClientAudio.Protect(pair, count);
        var server = pair.Server;
        var from = InMemoryPeerPair.ClientAddress;
        var buffer = new byte[Rtc.PeerConnection.PeerConnection.MaxDatagramLength];
        long now = pair.Now;
        int next = 0;
        void Run(int packets)
        {
            for (int i = 0; i < packets; i++, now += Frame)
            {
                server.HandleReceive(datagrams[next++], from, now);
                while (server.TryPollEvent(out _))
                {
                }

                if (server.NextTimeoutMicros <= now)
                {
                    server.HandleTimeout(now);
                }

                while (server.TryPollTransmit(buffer, out _, out _))
                {
                }
            }
        }

        Run(150); // warm-up: pools, SRTP stream states, the source's statistics, the first report (0.8-2.5 s in)
        Assert.Equal(0, SteadyStateAllocation.Measure(() => Run(280)));
        Assert.True(server.Counters.RtcpSent >= 2, $"{server.Counters.RtcpSent} reports");
        Assert.Equal(PeerConnectionState.Connected, server.State);
    }

    private static InMemoryPeerPair Connected()
    {
        var pair = new InMemoryPeerPair();
        Assert.True(pair.RunUntil(() => pair.Server.State == PeerConnectionState.Connected && pair.Client.State == PeerConnectionState.Connected));
        return pair;
    }

    /// <summary>Sends <paramref name="count"/> packets from <paramref name="first"/> on, one every 20 ms of virtual time.</summary>
    private static void SendAudio(InMemoryPeerPair pair, ushort first, int count)
    {
        var rtp = ClientAudio.Packet(pair.Client.AudioSsrc);
        for (int i = 0; i < count; i++)
        {
            ushort seq = (ushort)(first + i);
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), seq);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), seq * 960u);
            Assert.True(pair.Client.SendRtp(rtp, pair.Now));
            pair.Flush();
            pair.RunUntil(() => false, Frame);
        }
    }

    private static byte[] SenderReport(uint ssrc, ulong ntp)
    {
        var buffer = new byte[64];
        int sr = RtcpWriter.WriteSenderReport(buffer, ssrc, ntp, 0, 10, 1200, []);
        int sdes = RtcpWriter.WriteSourceDescription(buffer.AsSpan(sr), ssrc, SdesItemType.CName, "client"u8);
        return buffer.AsSpan(0, sr + sdes).ToArray();
    }
}
