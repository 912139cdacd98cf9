using System.Diagnostics;
using System.Globalization;
using System.Net;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Sip.Tests.Transport;

/// <summary>
/// Runs the real SIPp (Debian sip-tester) against our endpoint. Set SIPP_DEBUG_DIR to a directory to get
/// SIPp's message trace (-trace_msg) written there when a scenario needs debugging.
/// </summary>
internal static class Sipp
{
    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "sipp");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("sipp was not found on PATH. Run ./test.sh, which installs it (Debian package sip-tester) through scripts/bootstrap.sh --test.");
        return string.Empty;
    }

    /// <summary>
    /// Places a call to <paramref name="target"/> that plays <paramref name="stream"/>'s RTP at its own pace
    /// (Media/Scenarios/play_pcap.xml, holding the call until the last packet plus 300 ms, then BYE). The pcap and the
    /// filled-in scenario go to <paramref name="folder"/>. Addresses and ports in the pcap are placeholders: SIPp sends
    /// from its media port to the port in our answer.
    /// </summary>
    public static (int ExitCode, string Output) PlayRtp(IPEndPoint target, PhoneRtpStream stream, string folder)
    {
        var pcap = Path.Combine(folder, "call.pcap");
        using (var writer = new PcapWriter(File.Create(pcap)))
        {
            var from = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 6000);
            var to = new IPEndPoint(IPAddress.Parse("192.0.2.2"), 7000);
            foreach (var (micros, packet) in stream.Packets)
            {
                writer.WriteUdp(1_700_000_000_000_000 + micros, from, to, packet);
            }
        }

        long playMs = (stream.Packets[^1].Micros / 1000) + 300;
        var scenario = Path.Combine(folder, "play_pcap.xml");
        File.WriteAllText(scenario, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Media", "Scenarios", "play_pcap.xml"))
            .Replace("PCAP_FILE", pcap, StringComparison.Ordinal)
            .Replace("PLAY_MS", playMs.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return Run(target, scenario);
    }

    /// <summary>
    /// Runs sipp towards <paramref name="target"/>; returns its exit code and output. Its own UDP retransmissions
    /// are off (-nr, loopback loses nothing): a slow first answer (JIT) would otherwise make it resend, and SIPp
    /// answers duplicate responses by resending again, which muddles the scenarios; retransmission is exercised
    /// on purpose by invite_retransmit.xml.
    /// </summary>
    public static (int ExitCode, string Output) Run(IPEndPoint target, string scenario, string transport = "u1", int calls = 1, params string[] extra)
    {
        var scenarioArgs = scenario.EndsWith(".xml", StringComparison.Ordinal)
            ? new[] { "-sf", Path.Combine(AppContext.BaseDirectory, "Scenarios", scenario) }
            : ["-sn", scenario];
        var info = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Environment.GetEnvironmentVariable("SIPP_DEBUG_DIR") ?? Path.GetTempPath(),
        };
        foreach (var arg in (string[])[
            $"{target.Address}:{target.Port}", .. scenarioArgs, "-s", "100", "-i", "127.0.0.1", "-t", transport,
            "-m", calls.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", "10", "-r", "50",
            "-timeout", "15", "-timeout_error", "-nostdin", "-nr", "-p", FreeUdpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), "-mp", FreeUdpPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-cp", FreeUdpPort().ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra,
        ])
        {
            info.ArgumentList.Add(arg);
        }

        if (Environment.GetEnvironmentVariable("SIPP_DEBUG_DIR") is not null)
        {
            info.ArgumentList.Add("-trace_msg");
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            process.WaitForExit();
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>A port free for both UDP and TCP on the loopback address right now.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreeUdpPort();
            try
            {
                using var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 20)
            {
            }
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
