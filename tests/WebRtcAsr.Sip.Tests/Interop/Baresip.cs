using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace WebRtcAsr.Sip.Tests.Interop;

/// <summary>
/// Runs the real baresip (Debian baresip) headless: a config folder of its own (-f) with only the modules a call
/// needs (g711, aufile as the microphone, account and menu for the dial command), no registration, one
/// <c>/dial</c> given with -e. aufile ends the call (BYE) when the WAV is played out; -t bounds the run.
/// </summary>
internal static class Baresip
{
    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "baresip");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("baresip was not found on PATH. Run ./test.sh, which installs it (Debian package baresip) through scripts/bootstrap.sh --test.");
        return string.Empty;
    }

    /// <summary>The folder holding baresip's modules (Debian: /usr/lib/baresip/modules).</summary>
    private static string ModulePath()
    {
        foreach (var candidate in new[] { "/usr/lib/baresip/modules", "/usr/local/lib/baresip/modules", "/usr/lib/x86_64-linux-gnu/baresip/modules" })
        {
            if (File.Exists(Path.Combine(candidate, "aufile.so")))
            {
                return candidate;
            }
        }

        Assert.Fail("baresip's modules (aufile.so, g711.so) were not found.");
        return string.Empty;
    }

    /// <summary>
    /// Starts a call to <paramref name="target"/> from 127.0.0.1 sending <paramref name="wav"/> (8 kHz mono) as PCMU;
    /// baresip hangs up when the file ends. Dispose the result to end the process (baresip stays up after a call).
    /// </summary>
    public static BaresipProcess Call(string folder, IPEndPoint target, string wav, int sipPort, int rtpPortFirst, int maxSeconds = 20)
    {
        var config = string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort}",
            "sip_transports udp",
            $"audio_source aufile,{wav}",
            $"audio_player aufile,{Path.Combine(folder, "received.wav")}",
            "audio_srate 8000",
            "audio_channels 1",
            $"rtp_ports {rtpPortFirst}-{rtpPortFirst + 9}",
            $"module_path {ModulePath()}",
            "module g711.so",
            "module aufile.so",
            "module_app account.so",
            "module_app menu.so",
            "");
        File.WriteAllText(Path.Combine(folder, "config"), config);
        File.WriteAllText(Path.Combine(folder, "accounts"), "<sip:baresip@127.0.0.1>;regint=0;audio_codecs=PCMU\n");
        File.WriteAllText(Path.Combine(folder, "contacts"), string.Empty);

        var info = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in (string[])["-4", "-f", folder, "-e", $"/dial sip:test@{target.Address}:{target.Port}", "-t", maxSeconds.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        return new BaresipProcess(Process.Start(info)!);
    }
}

/// <summary>A running baresip; disposing ends it (by its own handle) and keeps what it printed.</summary>
internal sealed class BaresipProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public BaresipProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    private string? _output;

    /// <summary>Everything it printed, once disposed.</summary>
    public string Output => _output ?? "(baresip still running)";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        _output = _stdout.Result + _stderr.Result;
        _process.Dispose();
    }
}
