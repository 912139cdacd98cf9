using System.Diagnostics;

namespace WebRtcAsr.Server.Tests.Web;

/// <summary>Runs the browser client's own tests (node's built-in runner over web/tests/) as part of the suite.</summary>
public sealed class WebClientTests
{
    [Fact]
    public async Task NodeTestsOfTheWebClientPass()
    {
        var root = FindRepositoryRoot();
        var testDir = Path.Combine(root, "web", "tests");
        var files = Directory.GetFiles(testDir, "*.test.js").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.Combine(root, "web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        foreach (var f in files) start.ArgumentList.Add(Path.GetRelativePath(Path.Combine(root, "web"), f));

        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(node.ExitCode == 0, $"node --test failed (exit {node.ExitCode}):\n{output}");
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "web", "captions-client.js"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("no web/captions-client.js above the test binaries");
    }
}
