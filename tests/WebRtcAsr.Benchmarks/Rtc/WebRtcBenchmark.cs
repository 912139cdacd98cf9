namespace WebRtcAsr.Benchmarks.Rtc;

/// <summary>
/// The WebRTC figures of issue 5, each against its target: offer-to-connected on loopback UDP
/// (server-side work p50/p95/max, target p95 &lt; 50 ms, plus end-to-end wall time), SRTP
/// unprotect + RTP parse and protect per 20 ms Opus packet for both profiles (target &lt; 2 µs and
/// 0 bytes), and SCTP message throughput (the <c>sctp</c> suite's own measurement).
/// Usage: webrtc [--connections N] [--packets N] [--sctp-mib N]
/// (defaults 300 connections, 2 000 000 packets per row, 16 MiB per SCTP row).
/// </summary>
[BenchmarkSuite("webrtc", "WebRTC: offer-to-connected on loopback UDP, SRTP per packet, SCTP throughput")]
internal static class WebRtcBenchmark
{
    public static int Run(string[] args)
    {
        int connections = Option(args, "--connections", 300);
        int packets = Option(args, "--packets", 2_000_000);
        int sctpMiB = Option(args, "--sctp-mib", 16);
        Console.WriteLine($"webrtc: .NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine();

        OfferToConnectedMeasurement.Run(connections);
        Console.WriteLine();
        SrtpPacketMeasurement.Run(packets);
        Console.WriteLine();
        Console.WriteLine("SCTP message throughput (the sctp suite):");
        return SctpThroughputBenchmark.Run([sctpMiB.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out int value) && value > 0 ? value : fallback;
    }
}
