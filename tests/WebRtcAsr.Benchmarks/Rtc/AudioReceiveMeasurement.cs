using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Net;
using WebRtcAsr.Rtc.PeerConnection;

namespace WebRtcAsr.Benchmarks.Rtc;

/// <summary>
/// The whole per-packet audio path of a connected server peer, as its UDP driver calls it:
/// HandleReceive (classify, copy into a pooled buffer, SRTP unprotect and RTP header parse, receive
/// statistics for RTCP), TryPollEvent for the AudioRtp event, and the timer and transmit polls that
/// send the receiver reports when due. Virtual time moves 20 ms per packet so reports come at their
/// real rate; a connection is used for 24 s of audio (inside ICE consent, which this loop does not
/// refresh), then a fresh one; its first 3 s are warm-up (the first packet creates the receive
/// statistics and the first report the outgoing SRTCP stream: once per peer). Packets are protected by the client beforehand, outside the timing.
/// </summary>
internal static class AudioReceiveMeasurement
{
    private const int PacketsPerConnection = 1200; // 24 s at 20 ms
    private const int WarmUpPackets = 150; // 3 s: past the first report, which creates the SRTCP stream state
    private const int Connections = 10;
    private const long FrameMicros = 20_000;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // no on-stack replacement inside the measured loop
    public static void Run(Func<PeerConnectionOptions, PeerConnectionOptions, (OfferToConnectedMeasurement.ServerWork, PeerConnection, PeerConnection)> connect,
        PeerConnectionOptions serverOptions, PeerConnectionOptions clientOptions, IPEndPoint clientAddress)
    {
        long ticks = 0, allocated = 0, packets = 0, reports = 0, events = 0;
        var perConnection = new List<double>(Connections);
        var transmit = new byte[PeerConnection.MaxDatagramLength];
        for (int c = 0; c < Connections; c++)
        {
            var (_, server, client) = connect(serverOptions, clientOptions);
            using (server)
            using (client)
            {
                long connectionTicks = 0;
                var datagrams = Protect(client);
                long now = server.ConnectedAtMicros!.Value;
                for (int i = 0; i < datagrams.Count; i++, now += FrameMicros)
                {
                    bool measured = i >= WarmUpPackets;
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    long started = Stopwatch.GetTimestamp();
                    server.HandleReceive(datagrams[i], clientAddress, now);
                    while (server.TryPollEvent(out var peerEvent))
                    {
                        events += peerEvent.Kind == PeerConnectionEventKind.AudioRtp && measured ? 1 : 0;
                    }

                    if (server.NextTimeoutMicros <= now)
                    {
                        server.HandleTimeout(now);
                    }

                    while (server.TryPollTransmit(transmit, out _, out _))
                    {
                    }

                    if (measured)
                    {
                        connectionTicks += Stopwatch.GetTimestamp() - started;
                        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                        packets++;
                    }
                }

                if (server.State != PeerConnectionState.Connected)
                {
                    throw new InvalidOperationException($"server peer {server.State}: {server.StateReason}");
                }

                reports += server.Counters.RtcpSent;
                ticks += connectionTicks;
                perConnection.Add(connectionTicks * 1e9 / Stopwatch.Frequency / (PacketsPerConnection - WarmUpPackets));
            }
        }

        if (events != packets)
        {
            throw new InvalidOperationException($"{events} audio events for {packets} packets");
        }

        double nanos = ticks * 1e9 / Stopwatch.Frequency / packets;
        perConnection.Sort();
        Console.WriteLine($"Server peer audio path per packet (HandleReceive + AudioRtp event + report timer and transmit), " +
            $"{packets:N0} packets on {Connections} connections, {reports} receiver reports sent:");
        Console.WriteLine($"  {nanos:F0} ns/packet overall, best connection {perConnection[0]:F0}, median {perConnection[Connections / 2]:F0}; " +
            $"{allocated / (double)packets:F3} B/packet ({allocated} B in all)");
    }

    private static List<byte[]> Protect(PeerConnection client)
    {
        var datagrams = new List<byte[]>(PacketsPerConnection);
        var buffer = new byte[PeerConnection.MaxDatagramLength];
        var rtp = new byte[12 + 160];
        rtp[0] = 0x80;
        rtp[1] = PeerConnection.ClientOpusPayloadType;
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), client.AudioSsrc);
        new Random(5).NextBytes(rtp.AsSpan(12));
        while (client.TryPollTransmit(buffer, out _, out _))
        {
            // what the handshake left to send (SACKs): not audio
        }

        for (int i = 0; i < PacketsPerConnection; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), (ushort)i);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), (uint)(i * 960));
            if (!client.SendRtp(rtp, 0) || !client.TryPollTransmit(buffer, out int length, out _))
            {
                throw new InvalidOperationException("client could not protect RTP");
            }

            datagrams.Add(buffer.AsSpan(0, length).ToArray());
        }

        return datagrams;
    }
}
