using System.Net;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Security;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Sip.Tests.Transport;

/// <summary>
/// SIPp's own digest implementation (MD5, qop=auth) against our challenge and verification. SIPp 3.6 only reads
/// the first WWW-Authenticate and gives up on SHA-256, so a trunk of such peers is configured MD5-only.
/// </summary>
public sealed class SippDigestInteropTests
{
    private static async Task<List<SipCallEvent>> RunAsync(IReadOnlyList<DigestAlgorithm> algorithms, string password)
    {
        Sipp.Executable();
        var port = Sipp.FreePort();
        var server = new SipServer(new SipServerOptions
        {
            SignalingHost = "127.0.0.1",
            SignalingPort = port,
            MediaAddress = IPAddress.Loopback,
            MediaPortFirst = 42000,
            MediaPortLast = 42999,
            Authentication = new DigestAuthOptions
            {
                Realm = "asr.test",
                Passwords = new Dictionary<string, string> { ["carrier"] = "s3cret" },
                NonceKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
                Algorithms = algorithms,
            },
        });
        await using var host = new SipTransportHost(server, new SipTransportOptions { Udp = new IPEndPoint(IPAddress.Loopback, port), Tcp = null });
        host.Start();
        var run = Sipp.Run(host.UdpEndpoint!, "uac_digest.xml", extra: ["-au", "carrier", "-ap", password]);
        await host.InspectAsync(_ => 0);
        var events = new List<SipCallEvent>();
        while (host.Events.TryRead(out var e))
        {
            events.Add(e);
        }

        events.Add(new CallEnded(run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), CallEndReason.LocalHangup));
        if (password == "s3cret")
        {
            Assert.True(run.ExitCode == 0, $"sipp exited with {run.ExitCode}:\n{run.Output}");
        }

        return events;
    }

    [Fact]
    public async Task Sipp_answers_an_md5_challenge_and_the_call_goes_through()
    {
        var events = await RunAsync([DigestAlgorithm.Md5], "s3cret");
        Assert.Single(events.OfType<CallStarted>());
    }

    [Fact]
    public async Task Sipp_with_a_wrong_password_gets_no_call()
    {
        var events = await RunAsync([DigestAlgorithm.Md5], "guess");
        Assert.DoesNotContain(events, e => e is CallOffered);
        Assert.NotEqual("0", events[^1].CallId); // sipp's exit code: the call failed (403)
    }
}
