using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Sip;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Transactions;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Benchmarks.Sip;

/// <summary>
/// SIP figures: parse cost per message (ns, bytes allocated), calls set up and torn down per second through the
/// sans-IO core in memory, and sequential calls per second over loopback UDP through the real transport.
/// Options: --quick (fewer iterations).
/// </summary>
[BenchmarkSuite("sip", "SIP parse cost, in-memory call rate through the core, loopback UDP call rate")]
internal static class SipBenchmarks
{
    private const string Sdp =
        "v=0\r\no=trunk 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n" +
        "m=audio 30000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        Console.WriteLine($"SIP benchmarks ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} CPUs, .NET {Environment.Version}");
        Console.WriteLine();
        Parse(quick ? 20_000 : 200_000);
        Console.WriteLine();
        InMemoryCalls(quick ? 2_000 : 20_000);
        Console.WriteLine();
        LoopbackCalls(quick ? 200 : 2_000);
        return 0;
    }

    private static string Request(string method, int n, string toTag = "", string body = "", string branch = "") =>
        $"{method} sip:100@192.0.2.1:5060 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-{method}-{n}{branch};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: \"Caller\" <sip:+15551230000@198.51.100.7>;tag=f{n}\r\n" +
        $"To: <sip:100@192.0.2.1>{toTag}\r\n" +
        $"Call-ID: bench-{n}@198.51.100.7\r\n" +
        $"CSeq: {(method == "BYE" ? 2 : 1)} {method}\r\n" +
        "Contact: <sip:+15551230000@198.51.100.7:5060>\r\n" +
        "User-Agent: bench\r\n" +
        (body.Length > 0 ? "Content-Type: application/sdp\r\n" : string.Empty) +
        $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}";

    private static void Parse(int iterations)
    {
        var messages = new (string Name, byte[] Bytes)[]
        {
            ("INVITE + SDP", Encoding.ASCII.GetBytes(Request("INVITE", 1, body: Sdp))),
            ("OPTIONS", Encoding.ASCII.GetBytes(Request("OPTIONS", 1))),
            ("200 OK (BYE)", Encoding.ASCII.GetBytes("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport=5060;received=192.0.2.1\r\nFrom: <sip:100@192.0.2.1>;tag=abc\r\nTo: \"Caller\" <sip:+15551230000@198.51.100.7>;tag=def\r\nCall-ID: bench\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n")),
        };
        Console.WriteLine("parse (datagram mode, all headers validated)");
        Console.WriteLine($"  {"message",-14} {"bytes",6} {"ns/msg",9} {"alloc B/msg",12}");
        foreach (var (name, bytes) in messages)
        {
            for (var i = 0; i < iterations / 10; i++)
            {
                SipMessageParser.Parse(bytes, SipLimits.Default, true);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++)
            {
                if (!SipMessageParser.Parse(bytes, SipLimits.Default, true).IsMessage)
                {
                    throw new InvalidOperationException("benchmark message does not parse");
                }
            }

            watch.Stop();
            var perMessageNs = watch.Elapsed.TotalNanoseconds / iterations;
            var perMessageBytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
            Console.WriteLine($"  {name,-14} {bytes.Length,6} {perMessageNs,9:F0} {perMessageBytes,12:F0}");
        }
    }

    private static SipServerOptions Options(string host) => new()
    {
        SignalingHost = host,
        MediaAddress = IPAddress.Parse(host),
        MediaPortFirst = 20_000,
        MediaPortLast = 59_999,
        MaxCalls = 100_000,
        RequestsPerSecondPerSource = 1e9,
        RequestBurstPerSource = 1e9,
        MaxTransactions = 1_000_000,
        MaxPendingEvents = 1_000_000,
    };

    private static void InMemoryCalls(int calls)
    {
        // Each call: INVITE (→100, 200+SDP), ACK, BYE (→200); the driver's work (sockets) is not included.
        var invites = new byte[calls][];
        var acks = new byte[calls][];
        var byes = new byte[calls][];
        var server = new SipServer(Options("192.0.2.1"));
        var flow = new SipFlow(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060));
        var now = TimeSpan.FromSeconds(1);
        for (var i = 0; i < calls; i++)
        {
            invites[i] = Encoding.ASCII.GetBytes(Request("INVITE", i, body: Sdp));
        }

        // Warm-up calls, then the measured ones; To tags come from our own 200s.
        var watch = new Stopwatch();
        long allocated = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            var count = pass == 0 ? Math.Min(500, calls) : calls;
            if (pass == 1)
            {
                allocated = GC.GetAllocatedBytesForCurrentThread();
                watch.Start();
            }

            for (var i = 0; i < count; i++)
            {
                var id = pass == 0 ? 1_000_000 + i : i;
                server.HandleDatagram(pass == 0 ? Encoding.ASCII.GetBytes(Request("INVITE", id, body: Sdp)) : invites[i], flow, now);
                var toTag = string.Empty;
                while (server.TryPollTransmit(out var transmit))
                {
                    var text = Encoding.ASCII.GetString(transmit.Data);
                    if (text.StartsWith("SIP/2.0 200", StringComparison.Ordinal))
                    {
                        toTag = ToTag(text);
                    }
                }

                server.HandleDatagram(Encoding.ASCII.GetBytes(Request("ACK", id, toTag, branch: "a")), flow, now);
                server.HandleDatagram(Encoding.ASCII.GetBytes(Request("BYE", id, toTag, branch: "b")), flow, now);
                while (server.TryPollTransmit(out _))
                {
                }

                while (server.TryPollEvent(out _))
                {
                }

                now += TimeSpan.FromMilliseconds(1);
                server.HandleTimeout(now);
            }
        }

        watch.Stop();
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)calls;
        Console.WriteLine("calls through the sans-IO core in memory (INVITE/100/200+SDP, ACK, BYE/200; includes building the test's ACK/BYE)");
        Console.WriteLine($"  {calls} calls in {watch.Elapsed.TotalMilliseconds:F0} ms: {calls / watch.Elapsed.TotalSeconds:F0} calls/s on one thread, {watch.Elapsed.TotalMicroseconds / calls:F1} µs/call, {perCall / 1024:F1} KiB allocated/call");
        Console.WriteLine($"  active calls after: {server.ActiveCalls}, transactions still lingering (Timer J/K/L windows): {server.ActiveTransactions}");
    }

    /// <summary>The ";tag=..." of the To header field of a response.</summary>
    private static string ToTag(string response)
    {
        var to = response.IndexOf("\r\nTo: ", StringComparison.Ordinal);
        var tag = response.IndexOf(";tag=", to, StringComparison.Ordinal);
        return response[tag..response.IndexOf('\r', tag)];
    }

    private static void LoopbackCalls(int calls)
    {
        var server = new SipServer(Options("127.0.0.1"));
        var host = new SipTransportHost(server, new SipTransportOptions { Udp = new IPEndPoint(IPAddress.Loopback, 0), Tcp = null });
        host.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveTimeout = 5000;
        var target = host.UdpEndpoint!;
        var buffer = new byte[65536];

        string Await(string statusPrefix)
        {
            while (true)
            {
                var n = client.Receive(buffer);
                var text = Encoding.ASCII.GetString(buffer, 0, n);
                if (text.StartsWith(statusPrefix, StringComparison.Ordinal))
                {
                    return text;
                }
            }
        }

        var latencies = new List<double>(calls);
        var total = Stopwatch.StartNew();
        for (var i = -50; i < calls; i++)
        {
            if (i == 0)
            {
                total.Restart();
                latencies.Clear();
            }

            var started = Stopwatch.GetTimestamp();
            var id = i + 100;
            client.SendTo(Encoding.ASCII.GetBytes(Request("INVITE", id, body: Sdp)), target);
            var ok = Await("SIP/2.0 200");
            var toTag = ToTag(ok);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            client.SendTo(Encoding.ASCII.GetBytes(Request("ACK", id, toTag, branch: "a")), target);
            client.SendTo(Encoding.ASCII.GetBytes(Request("BYE", id, toTag, branch: "b")), target);
            Await("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-BYE");
        }

        total.Stop();
        host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        latencies.Sort();
        Console.WriteLine("sequential calls over loopback UDP through SipTransportHost (one client, one call at a time)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {calls} calls: {calls / total.Elapsed.TotalSeconds:F0} calls/s, INVITE→200 latency p50 {latencies[calls / 2]:F3} ms, p99 {latencies[calls * 99 / 100]:F3} ms"));
    }
}
