using System.Diagnostics;
using System.Text.Json;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// aiortc (Debian python3-aiortc), an independent WebRTC stack, as a client of the real server
/// wiring: signaling through the hub, then ICE, DTLS-SRTP, SCTP data channels and Opus audio over
/// the one UDP port. The audio it sends (a spoken-digits WAV) is decoded on the server and compared
/// with the file. Real time: each test lasts about the WAV's length plus a second or two.
/// </summary>
public sealed class AiortcInteropTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    private static string Wav => Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio", "digits-4242424-jackson.wav");

    [Fact]
    public async Task Aiortc_sends_audio_and_data_and_closing_leaves_nothing_behind()
    {
        await using var server = await EchoingServer.StartAsync();
        await using var signaling = await SignalRJsonClient.ConnectAsync(server.Host.HubUri);
        var reference = WavFile.Read(Wav);
        using var client = StartClient("--wav", Wav);

        string offer = (await client.ReadAsync("offer")).GetProperty("offer").GetString()!;
        var reply = await signaling.InvokeAsync("Offer", offer);
        string peerId = reply.GetProperty("peerId").GetString()!;
        await client.WriteAsync(new { answer = reply.GetProperty("sdp").GetString(), play_seconds = reference.DurationSeconds + 0.5 });

        // For a failure message: the server peer's view of DTLS and SCTP a few seconds in.
        string diagnostics = "";
        _ = Task.Run(async () =>
        {
            await Task.Delay(5000);
            if (server.Host.Transport.TryGetPeer(peerId, out var p))
            {
                p!.TryPost((pc, _) => diagnostics = $"dtls-app {pc.Counters.DtlsApplicationDataReceived} sctp {pc.SctpState} in {pc.SctpCounters?.PacketsReceived} out {pc.SctpCounters?.PacketsSent} dropped {pc.SctpCounters?.PacketsDropped} {pc.SctpCounters?.LastDropReason} rtp {pc.Counters.RtpReceived} srtpdrop {pc.Counters.DroppedSrtp} dc-drops {pc.DataChannelDrops} chunks-dropped {pc.SctpCounters?.ChunksDropped} events {pc.DataChannels.Count}");
            }
        });
        var result = (await client.ReadAsync("result", TimeSpan.FromSeconds(60))).GetProperty("result");
        output.WriteLine($"aiortc result: {result}; {diagnostics}");
        Assert.True(result.GetProperty("connected").GetBoolean(), $"{diagnostics}\n{client.Log}\nserver events: {string.Join(", ", server.Log.Events.Where(e => e.Event.Kind != PeerConnectionEventKind.AudioRtp).Select(e => e.Event))}\noffer: {offer}\nanswer: {reply.GetProperty("sdp").GetString()}");
        Assert.Equal("echo: hello from aiortc", result.GetProperty("text_echo").GetString());
        // aiortc 1.4 announces a=max-message-size:65536, so the server answers the 100 000-byte message
        // with its digest (proof it arrived whole) and pushes 65 536 bytes, the most aiortc accepts.
        Assert.True(result.GetProperty("binary_echo_ok").GetBoolean(), "the 100 000-byte message did not arrive intact");
        var pushed = result.GetProperty("server_channels").EnumerateArray().Single();
        Assert.Equal("server-push", pushed.GetProperty("label").GetString());
        var messages = pushed.GetProperty("messages");
        Assert.Equal("welcome", messages[0].GetString());
        Assert.Equal(65536, messages[1].GetProperty("binary").GetInt32());
        Assert.True(messages[1].GetProperty("pattern_ok").GetBoolean());
        output.WriteLine($"aiortc offer-to-connected: {result.GetProperty("offer_to_connected_ms").GetDouble()} ms");

        // aiortc closed its peer connection (DTLS close_notify): the server removes everything.
        Assert.True(await server.NothingLeftAsync(), server.Counts());
        Assert.Contains(server.Log.Events, e => e.PeerId == peerId && e.Event.Kind == PeerConnectionEventKind.StateChanged && e.Event.State == PeerConnectionState.Closed);

        var audio = server.AudioOf(peerId);
        Assert.NotEmpty(audio);
        Assert.All(audio, a => Assert.Equal(audio[0].Header.PayloadType, a.Header.PayloadType));
        var decoded = ReceivedAudio.Resample(ReceivedAudio.Decode(audio), 48000, reference.SampleRate);
        var alignment = AudioAlignment.Find(reference.ToMono(), decoded, reference.SampleRate);
        output.WriteLine($"aiortc audio: {audio.Count} packets, {decoded.Length / (double)reference.SampleRate:F2} s decoded, lag {alignment.LagSamples} samples, overlap {alignment.Overlap:P0}, " +
            $"envelope r = {alignment.EnvelopeCorrelation:F3}, waveform r = {alignment.WaveformCorrelation:F3}; " +
            $"control (other digits, same speaker): {AudioAlignment.Find(WavFile.Read(Wav.Replace("4242424", "3141", StringComparison.Ordinal)).ToMono(), decoded, reference.SampleRate)}");
        AssertSameSpeech(alignment, decoded, reference.SampleRate);
    }

    [Fact]
    public async Task A_client_announcing_a_wrong_fingerprint_is_refused()
    {
        await using var server = await EchoingServer.StartAsync();
        await using var signaling = await SignalRJsonClient.ConnectAsync(server.Host.HubUri);
        using var client = StartClient("--wav", Wav, "--wrong-fingerprint", "--timeout", "15");
        string offer = (await client.ReadAsync("offer")).GetProperty("offer").GetString()!;
        var reply = await signaling.InvokeAsync("Offer", offer);
        string peerId = reply.GetProperty("peerId").GetString()!;
        await client.WriteAsync(new { answer = reply.GetProperty("sdp").GetString() });

        var result = (await client.ReadAsync("result", TimeSpan.FromSeconds(60))).GetProperty("result");
        Assert.False(result.GetProperty("connected").GetBoolean());
        var failed = server.Log.Events.First(e => e.PeerId == peerId && e.Event.Kind == PeerConnectionEventKind.StateChanged && e.Event.State == PeerConnectionState.Failed);
        output.WriteLine($"server: {failed.Event.Reason}; aiortc: {result}");
        Assert.Contains("DTLS", failed.Event.Reason, StringComparison.Ordinal);
        Assert.Empty(server.AudioOf(peerId));
        Assert.True(await server.NothingLeftAsync(), server.Counts());
    }

    /// <summary>
    /// Opus is a perceptual codec, so two scores with margins: the 10 ms energy envelopes (the loudness
    /// contour of the speech, which coding keeps) must correlate above 0.9, and the aligned waveforms
    /// above 0.8. Measured here: envelopes 0.99-1.00 and waveforms about 0.97 for aiortc and Chromium;
    /// the same speaker saying other digits scores about 0.8 on envelopes (pauses between words look
    /// alike) and near 0 on waveforms, as would silence, noise, a wrong rate or byte order, or lost packets.
    /// </summary>
    internal static void AssertSameSpeech(AudioAlignment alignment, float[] decoded, int sampleRate)
    {
        Assert.True(alignment.EnvelopeCorrelation > 0.9, $"envelope correlation {alignment.EnvelopeCorrelation:F3} is not that of the sent speech");
        Assert.True(alignment.WaveformCorrelation > 0.8, $"waveform correlation {alignment.WaveformCorrelation:F3} is not that of the sent speech");

        // The control: the same speaker saying other digits must score well below the threshold.
        var other = WavFile.Read(Path.Combine(RepoPaths.Root, "tests", "WebRtcAsr.Speech.Tests", "Reference", "audio", "digits-3141-jackson.wav"));
        var control = AudioAlignment.Find(other.ToMono(), decoded, sampleRate);
        Assert.True(control.EnvelopeCorrelation < 0.9 && control.WaveformCorrelation < 0.5,
            $"control utterance correlates {control.EnvelopeCorrelation:F3} / {control.WaveformCorrelation:F3}: the check cannot tell speech apart");
    }

    private static PythonClient StartClient(params string[] args)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Clients", "aiortc_client.py");
        return new PythonClient(Python, [script, .. args]);
    }

    /// <summary>The Python client process: JSON lines out, one JSON line in.</summary>
    private sealed class PythonClient : IDisposable
    {
        private readonly Process _process;
        private readonly System.Collections.Concurrent.BlockingCollection<string> _lines = [];
        private readonly System.Text.StringBuilder _log = new();

        public PythonClient(string executable, string[] arguments)
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _lines.Add(e.Data);
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Log
        {
            get
            {
                lock (_log)
                {
                    return _log.ToString();
                }
            }
        }

        public async Task<JsonElement> ReadAsync(string property, TimeSpan? limit = null)
        {
            var end = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
            while (DateTime.UtcNow < end)
            {
                if (_lines.TryTake(out string? line, 100))
                {
                    var element = JsonDocument.Parse(line).RootElement;
                    if (element.TryGetProperty(property, out _))
                    {
                        return element.Clone();
                    }
                }
                else
                {
                    await Task.Yield();
                }
            }

            throw new TimeoutException($"no '{property}' from the aiortc client; stderr: {Log}");
        }

        public async Task WriteAsync(object message)
        {
            await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
            await _process.StandardInput.FlushAsync();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
            _process.Dispose();
            _lines.Dispose();
        }
    }
}
