using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using WebRtcAsr.Server.Tests.Signaling;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>
/// The built server (WebRtcAsr.Server.dll, which the test project's reference puts beside the tests) run as a
/// child process, as an operator runs it, with its console output kept. Listen addresses are read from its log.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private ServerProcess(Process process) => this.process = process;

    /// <summary>The first http:// address it listens on.</summary>
    public Uri Http { get; private set; } = null!;

    /// <summary>The first https:// address it listens on; null when none.</summary>
    public Uri? Https { get; private set; }

    /// <summary>The WebRTC UDP endpoint.</summary>
    public IPEndPoint Udp { get; private set; } = null!;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything it has written to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', lines);

    public IReadOnlyList<string> Lines => [.. lines];

    public static async Task<ServerProcess> StartAsync(string workingDirectory, params string[] arguments)
    {
        var server = Launch(workingDirectory, arguments, home: null);

        // Started when Kestrel and the UDP transport have both said where they listen (model loading comes first).
        var started = await PeerEventLog.WaitForAsync(() => server.process.HasExited || (server.ReadAddresses() && server.Output.Contains("Application started", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        Assert.True(started && !server.process.HasExited, "the server did not start:\n" + server.Output);
        return server;
    }

    /// <summary>
    /// Runs a server that is expected to stop by itself (a start that fails); its exit code and output. Its HOME is
    /// <paramref name="workingDirectory"/>, so nothing of this user's (a .NET development certificate) changes the outcome.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, TimeSpan limit, params string[] arguments)
    {
        await using var server = Launch(workingDirectory, arguments, home: workingDirectory);
        Assert.True(await server.WaitForExitAsync(limit), "the server did not stop by itself:\n" + server.Output);
        server.process.WaitForExit(); // the end of the redirected output
        return (server.ExitCode, server.Output);
    }

    private static ServerProcess Launch(string workingDirectory, string[] arguments, string? home)
    {
        // The dotnet host that runs the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WebRtcAsr.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // SIP on a free port unless the test says otherwise: 5060 may be held by another server (a test running beside
        // this one, or a developer's), and that refusal (exit code 2) would come before what the test is about.
        if (!arguments.Any(a => a.StartsWith("--WebRtcAsr:Sip:", StringComparison.Ordinal)))
        {
            start.ArgumentList.Add("--WebRtcAsr:Sip:Port=0");
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        if (home is not null)
        {
            start.Environment["HOME"] = home;
        }
        var server = new ServerProcess(new Process { StartInfo = start });
        server.process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Sends SIGTERM, as `docker stop`, systemd or Ctrl+C (SIGINT) would.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the process to exit; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private bool ReadAddresses()
    {
        foreach (var line in lines)
        {
            if (ListeningLine().Match(line) is { Success: true } listening)
            {
                var uri = new Uri(listening.Groups[1].Value);
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    Https ??= uri;
                }
                else
                {
                    Http ??= uri;
                }
            }
            else if (UdpLine().Match(line) is { Success: true } udp)
            {
                Udp ??= IPEndPoint.Parse(udp.Groups[1].Value);
            }
        }

        return Http is not null && Udp is not null;
    }

    [GeneratedRegex(@"Now listening on: (\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"WebRTC UDP on (\S+),")]
    private static partial Regex UdpLine();
}
