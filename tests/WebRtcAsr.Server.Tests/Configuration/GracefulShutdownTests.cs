using System.Diagnostics;
using System.Text.Json;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Signaling;
using WebRtcAsr.Server.Tests.Browser;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>
/// SIGTERM against the real server process (the default digit model, appsettings.json, the console log): a session
/// cut off mid-utterance still gets its last word as a final, is archived, and the process exits 0 in time.
/// About 5 s: the process starts, loads the model, and takes one session of 1.6 s of audio.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output) : IDisposable
{
    private const int ShutdownSeconds = 5;
    private readonly string folder = Directory.CreateTempSubdirectory("webrtcasr-sigterm-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task SIGTERM_mid_utterance_delivers_the_last_word_archives_the_session_and_exits_0()
    {
        using var certs = DevCertificates.Make();
        var archive = Path.Combine(folder, "archive");
        await using var server = await ServerProcess.StartAsync(folder,
            "--urls", "http://127.0.0.1:0;https://127.0.0.1:0",
            $"--WebRtcAsr:Https:CertificatePath={certs.HttpsPem}",
            $"--WebRtcAsr:Https:KeyPath={certs.HttpsKey}",
            "--WebRtcAsr:UdpPort=0",
            "--WebRtcAsr:BindAddress=127.0.0.1",
            $"--WebRtcAsr:Archive:Folder={archive}",
            $"--WebRtcAsr:Timeouts:ShutdownSeconds={ShutdownSeconds}");

        // --urls https:// takes the configured certificate too.
        using (var https = certs.TrustingClient(server.Https!))
        {
            Assert.Equal("ok", await https.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        }

        // appsettings.json lets loopback clients in without a key.
        await using var signaling = await SignalRJsonClient.ConnectAsync(new Uri(server.Http, SignalingHub.Path));
        await using var client = await CaptionPeerClient.ConnectAsync(signaling, server.Udp);
        Assert.True(await client.WaitForChannelAsync(), server.Output);

        // "three one four one" and the recording's own short tail: too little silence for an endpoint, so the utterance
        // stays open (interim results only) however long it waits. SIGTERM once the interims show the last word.
        await client.SendAudioAsync(SpeechAudio.Load("digits-3141-jackson.wav"));
        Assert.True(await client.WaitForAsync(m => m.OfType<ResultsMessage>().Any(r => DigitErrorRate.DigitsOf(r.Transcript()) == "3141")), Describe(client, server));
        Assert.DoesNotContain(client.Messages, m => m is ResultsMessage { IsFinal: true });

        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(ShutdownSeconds) + ServerOptionsRegistration.ShutdownMargin);
        var stopped = clock.Elapsed;
        Assert.True(exited, $"still running {stopped.TotalSeconds:F1} s after SIGTERM\n{server.Output}");
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}\n{server.Output}");
        output.WriteLine($"exited {stopped.TotalSeconds:F2} s after SIGTERM (allowed {ShutdownSeconds} s + {ServerOptionsRegistration.ShutdownMargin.TotalSeconds} s)");

        // The client got every message, the last word in a final, then Metadata, then the close.
        var messages = client.Messages;
        output.WriteLine(string.Join("\n", messages.Select(CaptionJson.Serialize)));
        Captions.AssertCompleteSequence(messages, client.SessionId);
        var final = Assert.Single(messages.Finals()); // the utterance had not ended: the shutdown's flush made its only final
        Assert.True(final.FromFinalize);
        Assert.True(DigitErrorRate.DigitsOf(final.Transcript()) == "3141", Describe(client, server));
        Assert.IsType<MetadataMessage>(messages[^1]);
        Assert.True(await PeerEventLog.WaitForAsync(() => client.Has(PeerConnectionState.Closed)), "the server did not close the peer before exiting");

        // The archive holds the session's finals (written and fsynced before the process exited).
        var archived = Directory.GetFiles(archive, "*.jsonl").SelectMany(File.ReadAllLines)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(line => line.GetProperty("session_id").GetString() == client.SessionId)
            .ToList();
        Assert.NotEmpty(archived);
        Assert.All(archived, line => Assert.Equal("Shutdown", line.GetProperty("end_reason").GetString(), ignoreCase: true));
        var archivedText = string.Join(' ', archived.Select(line => line.GetProperty("result").GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString()));
        Assert.Equal("3141", DigitErrorRate.DigitsOf(archivedText));

        // The log: no per-request lines at Information (appsettings: Microsoft.AspNetCore at Warning); session lines carry the id.
        Assert.DoesNotContain(server.Lines, line => line.Contains("Microsoft.AspNetCore", StringComparison.Ordinal) && line.Contains(" INF]", StringComparison.Ordinal));
        Assert.Contains(server.Lines, line => line.Contains("CaptionSession", StringComparison.Ordinal) && line.Contains(client.SessionId, StringComparison.Ordinal));
    }

    private static string Describe(CaptionPeerClient client, ServerProcess server) =>
        string.Join("\n", client.Messages.Select(CaptionJson.Serialize)) + "\n" + server.Output;
}
