using System.Diagnostics;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>certs/make-dev-certs.sh makes a DTLS identity our loader accepts, and keeps it on a second run.</summary>
public sealed class DevCertificateScriptTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("dev-certs-").FullName;

    private string RunScript()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "certs", "make-dev-certs.sh"));
        start.Environment["CERTS_OUT"] = _out;
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        return output;
    }

    [Fact]
    public void Script_makes_a_loadable_p256_dtls_certificate_and_is_idempotent()
    {
        string first = RunScript();
        Assert.Contains("made", first, StringComparison.Ordinal);
        string pem = File.ReadAllText(Path.Combine(_out, "dtls.pem"));
        Assert.True(DtlsCertificate.TryLoad(pem, File.ReadAllText(Path.Combine(_out, "dtls.key")), out var cert, out var error), error);
        using (cert)
        {
            Assert.Contains($"DTLS fingerprint: {cert!.FingerprintSha256}", first, StringComparison.Ordinal);
        }
        Assert.True(File.Exists(Path.Combine(_out, "https.pem")));

        string second = RunScript();
        Assert.Contains("kept", second, StringComparison.Ordinal);
        Assert.DoesNotContain("made", second, StringComparison.Ordinal);
        Assert.Equal(pem, File.ReadAllText(Path.Combine(_out, "dtls.pem")));
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}
