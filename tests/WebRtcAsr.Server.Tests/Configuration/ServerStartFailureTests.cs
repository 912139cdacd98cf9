using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>The real server process refusing to start: one line saying what to set, exit code 2. About 2 s (the model loads first).</summary>
public sealed class ServerStartFailureTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("webrtcasr-start-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task An_https_URL_without_a_certificate_names_the_settings_that_give_one_and_exits_2()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(folder, TimeSpan.FromSeconds(60),
            "--urls", "https://127.0.0.1:0", "--WebRtcAsr:UdpPort=0", "--WebRtcAsr:BindAddress=127.0.0.1", "--WebRtcAsr:Archive:Enabled=false");
        Assert.True(exitCode == 2, $"exit code {exitCode}\n{output}");
        Assert.Contains("WebRtcAsr server did not start: an https:// URL has no certificate. Set WebRtcAsr:Https:CertificatePath and WebRtcAsr:Https:KeyPath", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
    }
}
