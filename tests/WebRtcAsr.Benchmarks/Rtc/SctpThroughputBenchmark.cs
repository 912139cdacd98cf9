using System.Diagnostics;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Benchmarks.Rtc;

/// <summary>
/// Message throughput between two in-memory SCTP associations (no network, no DTLS): what the
/// SCTP and reassembly code costs per byte and per message. Options: total MiB per size (default 64).
/// </summary>
[BenchmarkSuite("sctp", "SCTP data channel message throughput between two in-memory associations")]
internal static class SctpThroughputBenchmark
{
    public static int Run(string[] args)
    {
        int totalMiB = args.Length > 0 && int.TryParse(args[0], out int parsed) ? parsed : 64;
        Console.WriteLine($"SCTP in-memory throughput, {totalMiB} MiB per row, MTU 1200, one thread");
        Console.WriteLine($"{"message",10} {"MB/s",10} {"messages/s",12} {"packets",10} {"alloc B/msg",12}");
        foreach (int size in new[] { 1024, 64 * 1024 })
        {
            Measure(size, 4); // warm-up
            var (seconds, messages, packets, allocated) = Measure(size, totalMiB);
            double bytes = (double)messages * size;
            Console.WriteLine($"{size,10} {bytes / seconds / 1e6,10:F1} {messages / seconds,12:F0} {packets,10} {allocated / (double)messages,12:F0}");
        }

        return 0;
    }

    private static (double Seconds, long Messages, long Packets, long Allocated) Measure(int size, int totalMiB)
    {
        var options = new SctpOptions { SendBufferLimit = 8 * 1024 * 1024, ReceiveBufferLimit = 4 * 1024 * 1024 };
        var client = new SctpAssociation(options);
        var server = new SctpAssociation(options);
        long now = 0;
        var buffer = new byte[1500];
        client.Connect(now);
        Pump(client, server, buffer, ref now, out _);

        long target = (long)totalMiB * 1024 * 1024 / size;
        var message = new byte[size];
        long sent = 0, received = 0, packets = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (received < target)
        {
            while (sent < target && client.Send(1, 53, message, default, now) == SctpSendStatus.Ok)
            {
                sent++;
            }

            bool moved = Pump(client, server, buffer, ref now, out long pumped);
            packets += pumped;
            while (server.PollEvent(out var ev))
            {
                if (ev.Kind == SctpEventKind.Message)
                {
                    received++;
                }
            }

            if (!moved)
            {
                now = Math.Max(now + 1, Math.Min(client.NextTimeoutMicros, server.NextTimeoutMicros));
                client.HandleTimeout(now);
                server.HandleTimeout(now);
            }
        }

        watch.Stop();
        return (watch.Elapsed.TotalSeconds, received, packets, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
    }

    private static bool Pump(SctpAssociation a, SctpAssociation b, byte[] buffer, ref long now, out long packets)
    {
        packets = 0;
        int n;
        while ((n = a.PollTransmit(buffer, now)) > 0)
        {
            b.HandleReceive(buffer.AsSpan(0, n), now);
            packets++;
        }

        while ((n = b.PollTransmit(buffer, now)) > 0)
        {
            a.HandleReceive(buffer.AsSpan(0, n), now);
            packets++;
        }

        now += 10; // the clock moves a little with every exchange
        return packets > 0;
    }
}
