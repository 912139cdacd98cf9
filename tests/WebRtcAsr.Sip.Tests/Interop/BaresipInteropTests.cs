using System.Net;
using System.Net.Sockets;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Tests.Media;
using Xunit.Abstractions;

namespace WebRtcAsr.Sip.Tests.Interop;

/// <summary>
/// A real softphone calls us: baresip dials our endpoint on 127.0.0.1 with a WAV of spoken digits as its
/// microphone (aufile), sends it as PCMU, and hangs up when the file ends. The audio must reach the consumer.
/// </summary>
public sealed class BaresipInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private CallMediaFixture _fixture = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        Baresip.Executable();
        _folder = Directory.CreateTempSubdirectory("baresip-").FullName;
        _fixture = await CallMediaFixture.StartAsync(CallMediaFixture.MediaPortRange(1));
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Baresip_call_playing_spoken_digits_reaches_the_consumer_as_the_same_audio()
    {
        var sent = SippMediaInteropTests.SpokenDigits();
        var wav = Path.Combine(_folder, "digits.wav");
        WavFile.Write(wav, sent, 8000);

        var run = Baresip.Call(_folder, _fixture.Sip.UdpEndpoint!, wav, FreeUdpPort(), CallMediaFixture.MediaPortRange(2));
        List<SipCallEvent> events;
        RecordingConsumer consumer;
        using (run)
        {
            (events, consumer) = await _fixture.NextClosedCallAsync(TimeSpan.FromSeconds(15));
        }

        Assert.True(events.Exists(e => e is CallEnded { Reason: CallEndReason.RemoteHangup }), "baresip did not hang up:\n" + run.Output);
        var statistics = Assert.IsType<CallMediaClosed>(events[^1]).Statistics;

        // baresip's packets may start a little into or before the file (its source starts with the stream), so
        // the match searches ±100 ms; the threshold is argued in SippMediaInteropTests.
        var (correlation, lag) = AudioMatch.Best(sent, consumer.Samples, maxLag: 800);
        output.WriteLine($"baresip → 16 kHz consumer: {statistics.AudioPackets} packets ({statistics.Latches} latch), {consumer.Length} samples, correlation {correlation:F5} at lag {lag}");
        Assert.True(correlation > 0.95, $"correlation {correlation:F4} at lag {lag}; {statistics.AudioPackets} packets\n{run.Output}");
        // All of the file arrived (the correlation above says it is the same audio). baresip hangs up when the file is
        // played out, but on a loaded machine (the whole suite on two cores) it once went on sending for 2 s before its
        // BYE: the upper bound only catches a call that ran away.
        var expected = sent.Length * 2;
        var afterFile = consumer.Samples[Math.Min(consumer.Length, expected + 3_200)..];
        output.WriteLine($"after the file: {afterFile.Length} samples, peak {(afterFile.IsEmpty ? 0f : afterFile.ToArray().Max(Math.Abs)):F4}");
        Assert.InRange(consumer.Length, expected * 9 / 10, expected + (16_000 * 5));

        var heard = CallRecognition.Hear(consumer.Samples, SippMediaInteropTests.SpokenDigitsSaid);
        output.WriteLine($"heard \"{heard.Transcript}\" → {heard.Digits}");
        Assert.Equal(SippMediaInteropTests.SpokenDigitsSaid, heard.Digits);
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
