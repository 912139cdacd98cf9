using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Common;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;

namespace WebRtcAsr.Benchmarks.Rtc;

/// <summary>
/// Offer-to-connected over real UDP sockets on 127.0.0.1: our client-role PeerConnection offers
/// audio and a "captions" channel to a server-role PeerConnection, one connection after another,
/// until both sides see the channel open (ICE, DTLS handshake, SCTP association, DCEP OPEN/ACK).
/// One thread drives both peers and both sockets, so the server's work is exactly the wall time of
/// its own calls (TryAccept, HandleReceive, HandleTimeout, TryPollTransmit, TryPollEvent), with the
/// socket calls, the waits and all client work outside it. End-to-end is the wall time from
/// creating the offer to both channels open, client work and loopback included.
/// </summary>
internal static class OfferToConnectedMeasurement
{
    private const double TargetP95Millis = 50;
    private const int WarmUp = 20;

    public static void Run(int connections)
    {
        CertificateGeneration();
        using var serverCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var clientCertificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        using var serverSocket = Bind();
        using var clientSocket = Bind();
        var serverOptions = new PeerConnectionOptions { Certificate = serverCertificate, HostCandidates = [(IPEndPoint)serverSocket.LocalEndPoint!] };
        var clientOptions = new PeerConnectionOptions { Certificate = clientCertificate };
        var link = new LoopbackLink(serverSocket, clientSocket);

        for (int i = 0; i < WarmUp; i++)
        {
            link.Connect(serverOptions, clientOptions);
        }

        var results = new List<ServerWork>(connections);
        for (int i = 0; i < connections; i++)
        {
            results.Add(link.Connect(serverOptions, clientOptions));
        }

        Print(results);
        Console.WriteLine();
        AudioReceiveMeasurement.Run(link.ConnectPair, serverOptions, clientOptions, (IPEndPoint)clientSocket.LocalEndPoint!);
    }

    private static void CertificateGeneration()
    {
        const int count = 20;
        DtlsCertificate.Generate(DateTimeOffset.UtcNow).Dispose();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            DtlsCertificate.Generate(DateTimeOffset.UtcNow).Dispose();
        }

        double millis = Stopwatch.GetElapsedTime(started).TotalMilliseconds / count;
        Console.WriteLine($"DTLS certificate generation (ECDSA P-256, self-signed): {millis:F2} ms each; " +
            "made once per server start (WebRtcPeerHost), not per peer, so not in the figures below");
    }

    private static void Print(List<ServerWork> results)
    {
        Console.WriteLine($"Offer-to-connected on loopback UDP, {results.Count} connections after {WarmUp} warm-up, one at a time, one thread");
        Console.WriteLine("| measure                                   |    p50 ms |    p95 ms |    max ms |   mean ms |");
        Console.WriteLine("|-------------------------------------------|-----------|-----------|-----------|-----------|");
        Line("server-side work, total", results.Select(r => r.TotalMillis));
        Line("  offer parse + answer (TryAccept)", results.Select(r => r.AcceptMillis));
        Line("  STUN (ICE checks)", results.Select(r => r.StunMillis));
        Line("  DTLS records (handshake, SCTP, DCEP)", results.Select(r => r.DtlsMillis));
        Line("  timers, polls of transmits and events", results.Select(r => r.OtherMillis));
        Line("end-to-end wall time (client + loopback)", results.Select(r => r.EndToEndMillis));
        double p95 = Percentile(results.Select(r => r.TotalMillis).ToList(), 0.95);
        Console.WriteLine($"target: server-side work p95 < {TargetP95Millis:F0} ms: {(p95 < TargetP95Millis ? "met" : "MISSED")} ({p95:F2} ms)");
        Console.WriteLine($"server allocations per connection: {results.Average(r => r.AllocatedBytes) / 1024:F1} KiB; " +
            $"datagrams per connection: server received {results.Average(r => r.DatagramsIn):F1}, sent {results.Average(r => r.DatagramsOut):F1}");
    }

    private static void Line(string name, IEnumerable<double> values)
    {
        var sorted = values.ToList();
        Console.WriteLine($"| {name,-41} | {Percentile(sorted, 0.50),9:F3} | {Percentile(sorted, 0.95),9:F3} | {sorted.Max(),9:F3} | {sorted.Average(),9:F3} |");
    }

    private static double Percentile(List<double> values, double p)
    {
        values.Sort();
        int rank = (int)Math.Ceiling(p * values.Count) - 1; // nearest rank
        return values[Math.Clamp(rank, 0, values.Count - 1)];
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Where the server's time went in one connection.</summary>
    internal sealed class ServerWork
    {
        public long AcceptTicks;
        public long StunTicks;
        public long DtlsTicks;
        public long OtherTicks;
        public long EndToEndTicks;
        public long AllocatedBytes;
        public int DatagramsIn;
        public int DatagramsOut;

        public double AcceptMillis => Millis(AcceptTicks);
        public double StunMillis => Millis(StunTicks);
        public double DtlsMillis => Millis(DtlsTicks);
        public double OtherMillis => Millis(OtherTicks);
        public double TotalMillis => Millis(AcceptTicks + StunTicks + DtlsTicks + OtherTicks);
        public double EndToEndMillis => Millis(EndToEndTicks);

        private static double Millis(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Both peers, both sockets and one loop that moves datagrams and fires timers, timing only the server's calls.</summary>
    internal sealed class LoopbackLink(Socket serverSocket, Socket clientSocket)
    {
        private static readonly TimeSpan ConnectLimit = TimeSpan.FromSeconds(10);
        private readonly byte[] _send = new byte[PeerConnection.MaxDatagramLength];
        private readonly byte[] _receive = new byte[65536];
        private readonly List<Socket> _readable = new(2);

        public ServerWork Connect(PeerConnectionOptions serverOptions, PeerConnectionOptions clientOptions)
        {
            var (work, server, client) = ConnectPair(serverOptions, clientOptions);
            server.Dispose();
            client.Dispose();
            return work;
        }

        /// <summary>Connects a pair and hands both peers to the caller, who disposes them.</summary>
        public (ServerWork Work, PeerConnection Server, PeerConnection Client) ConnectPair(PeerConnectionOptions serverOptions, PeerConnectionOptions clientOptions)
        {
            Drain();
            var work = new ServerWork();
            long started = Stopwatch.GetTimestamp();
            var client = PeerConnection.CreateOffer(clientOptions, Now);
            client.OpenDataChannel("captions", Now);

            long now = Now;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            bool accepted = PeerConnection.TryAccept(client.LocalDescription, serverOptions, now, out var accepting, out string? error);
            work.AcceptTicks = Stopwatch.GetTimestamp() - t0;
            work.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
            if (!accepted)
            {
                throw new InvalidOperationException("offer refused: " + error);
            }

            var server = accepting!;
            if (!client.SetRemoteAnswer(server.LocalDescription, Now, out error))
            {
                throw new InvalidOperationException("answer refused: " + error);
            }

            bool serverOpen = false, clientOpen = false;
            while (!(serverOpen && clientOpen))
            {
                if (Stopwatch.GetElapsedTime(started) > ConnectLimit)
                {
                    throw new InvalidOperationException($"not connected in {ConnectLimit.TotalSeconds} s: server {server.State} ({server.StateReason}), client {client.State}");
                }

                bool progress = false;
                while (client.TryPollTransmit(_send, out int length, out var to))
                {
                    clientSocket.SendTo(_send.AsSpan(0, length), SocketFlags.None, to!);
                    progress = true;
                }

                while (client.TryPollEvent(out var clientEvent))
                {
                    clientOpen |= clientEvent.Kind == PeerConnectionEventKind.DataChannelOpened;
                    Check(clientEvent, "client");
                }

                progress |= ServerSends(server, work);
                serverOpen |= ServerEvents(server, work);
                progress |= Receive(server, client, work);

                now = Now;
                if (server.NextTimeoutMicros <= now)
                {
                    allocated = GC.GetAllocatedBytesForCurrentThread();
                    t0 = Stopwatch.GetTimestamp();
                    server.HandleTimeout(now);
                    work.OtherTicks += Stopwatch.GetTimestamp() - t0;
                    work.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                    progress = true;
                }

                if (client.NextTimeoutMicros <= now)
                {
                    client.HandleTimeout(now);
                    progress = true;
                }

                if (!progress)
                {
                    long next = Math.Min(server.NextTimeoutMicros ?? long.MaxValue, client.NextTimeoutMicros ?? long.MaxValue);
                    Wait((int)Math.Clamp(next - now, 0, 1000));
                }
            }

            work.EndToEndTicks = Stopwatch.GetTimestamp() - started;
            return (work, server, client);
        }

        private static long Now => StopwatchClock.Instance.NowMicros;

        private bool ServerSends(PeerConnection server, ServerWork work)
        {
            bool sent = false;
            while (true)
            {
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                bool any = server.TryPollTransmit(_send, out int length, out var to);
                work.OtherTicks += Stopwatch.GetTimestamp() - t0;
                work.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (!any)
                {
                    return sent;
                }

                serverSocket.SendTo(_send.AsSpan(0, length), SocketFlags.None, to!);
                work.DatagramsOut++;
                sent = true;
            }
        }

        private static bool ServerEvents(PeerConnection server, ServerWork work)
        {
            bool opened = false;
            while (true)
            {
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                bool any = server.TryPollEvent(out var serverEvent);
                work.OtherTicks += Stopwatch.GetTimestamp() - t0;
                work.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (!any)
                {
                    return opened;
                }

                opened |= serverEvent.Kind == PeerConnectionEventKind.DataChannelOpened;
                Check(serverEvent, "server");
            }
        }

        private bool Receive(PeerConnection server, PeerConnection client, ServerWork work)
        {
            bool received = false;
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (serverSocket.Available > 0)
            {
                int n = serverSocket.ReceiveFrom(_receive, ref from);
                var datagram = _receive.AsSpan(0, n);
                long now = Now;
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                long t0 = Stopwatch.GetTimestamp();
                server.HandleReceive(datagram, (IPEndPoint)from, now);
                long ticks = Stopwatch.GetTimestamp() - t0;
                work.AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - allocated;
                switch (PacketClassifier.Classify(datagram))
                {
                    case PacketKind.Stun:
                        work.StunTicks += ticks;
                        break;
                    case PacketKind.Dtls:
                        work.DtlsTicks += ticks;
                        break;
                    default:
                        work.OtherTicks += ticks;
                        break;
                }

                work.DatagramsIn++;
                received = true;
            }

            while (clientSocket.Available > 0)
            {
                int n = clientSocket.ReceiveFrom(_receive, ref from);
                client.HandleReceive(_receive.AsSpan(0, n), (IPEndPoint)from, Now);
                received = true;
            }

            return received;
        }

        private void Wait(int micros)
        {
            _readable.Clear();
            _readable.Add(serverSocket);
            _readable.Add(clientSocket);
            Socket.Select(_readable, null, null, micros);
        }

        /// <summary>Throws away what a previous connection left in flight (its last SACKs, consent checks).</summary>
        private void Drain()
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            Wait(2000);
            while (serverSocket.Available > 0 || clientSocket.Available > 0)
            {
                var socket = serverSocket.Available > 0 ? serverSocket : clientSocket;
                socket.ReceiveFrom(_receive, ref from);
            }
        }

        private static void Check(in PeerConnectionEvent peerEvent, string side)
        {
            if (peerEvent.Kind == PeerConnectionEventKind.StateChanged && peerEvent.State is PeerConnectionState.Failed or PeerConnectionState.Closed)
            {
                throw new InvalidOperationException($"{side} {peerEvent.State}: {peerEvent.Reason}");
            }
        }
    }
}
