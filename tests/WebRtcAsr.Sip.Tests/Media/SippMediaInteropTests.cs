using System.Globalization;
using Xunit.Abstractions;
using System.Net;
using WebRtcAsr.Media.Audio;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Tests.Transport;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// A real peer sends a call's media: SIPp places the call and plays RTP from a pcap written here (FSDD spoken
/// digits G.711-encoded; RFC 4733 key presses) with <c>play_pcap_audio</c>, and we check what reaches the
/// consumer the server would attach.
/// </summary>
public sealed class SippMediaInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The digits <see cref="SpokenDigits"/> says.</summary>
    internal const string SpokenDigitsSaid = "4729";
    private static readonly string[] DigitFiles = ["4_jackson_0.wav", "7_jackson_1.wav", "2_jackson_2.wav", "9_jackson_3.wav"];
    private CallMediaFixture _fixture = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        Sipp.Executable();
        _folder = Directory.CreateTempSubdirectory("sipmedia-").FullName;
        _fixture = await CallMediaFixture.StartAsync(CallMediaFixture.MediaPortRange(0));
    }

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The four digit words with 300 ms of silence before, between and after: "four seven two nine".</summary>
    internal static float[] SpokenDigits()
    {
        var gap = new float[2400];
        var all = new List<float>(gap);
        foreach (var file in DigitFiles)
        {
            var wav = WavFile.Read(Path.Combine(AppContext.BaseDirectory, "Media", "TestData", file));
            Assert.Equal(8000, wav.SampleRate);
            all.AddRange(wav.ToMono());
            all.AddRange(gap);
        }

        return [.. all];
    }

    [Fact]
    public async Task Spoken_digits_played_by_sipp_reach_the_consumer_as_the_same_16_kHz_audio()
    {
        var sent = SpokenDigits();
        var run = await Task.Run(() => Sipp.PlayRtp(_fixture.Sip.UdpEndpoint!, new PhoneRtpStream(0x5EED_0001).Audio(sent), _folder));
        Assert.True(run.ExitCode == 0, $"sipp exited with {run.ExitCode}:\n{run.Output}");

        var (events, consumer) = await _fixture.NextClosedCallAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(events, e => e is CallStarted);
        Assert.Contains(events, e => e is CallEnded { Reason: CallEndReason.RemoteHangup });
        var statistics = Assert.IsType<CallMediaClosed>(events[^1]).Statistics;

        // Every packet arrived on loopback and came out: 2 output samples per input sample.
        int packets = (sent.Length + PhoneRtpStream.SamplesPerPacket - 1) / PhoneRtpStream.SamplesPerPacket;
        Assert.Equal(packets, statistics.AudioPackets);
        Assert.Equal(0, statistics.RtpFromOtherSources);
        Assert.Equal(packets * 320, consumer.Length);

        // G.711 μ-law keeps ~38 dB SNR on speech (ρ ≈ 0.9999) and the 8→16 kHz resampler is near-transparent below
        // 3.6 kHz, so the same audio correlates well above 0.95; a dropped or misplaced packet, a wrong law or rate
        // fall far below it (swapping μ-law for A-law alone gives well under 0.5).
        var (correlation, lag) = AudioMatch.Best(sent, consumer.Samples);
        output.WriteLine($"sipp → 16 kHz consumer: {packets} packets, correlation {correlation:F5} at lag {lag} (8 kHz samples)");
        Assert.True(correlation > 0.95, $"correlation {correlation:F4} at lag {lag}");
        Assert.InRange(lag, -20, 20);

        // And the recognizer hears what was said.
        var heard = CallRecognition.Hear(consumer.Samples, SpokenDigitsSaid);
        output.WriteLine($"heard \"{heard.Transcript}\" → {heard.Digits}");
        Assert.Equal(SpokenDigitsSaid, heard.Digits);
    }

    [Fact]
    public async Task Rfc4733_key_presses_played_by_sipp_arrive_as_dtmf_with_the_right_digits()
    {
        var stream = new PhoneRtpStream(0x5EED_0002).Silence(1600);
        foreach (var key in new byte[] { 1, 2, 2, 11, 10, 0 }) // "122#*0": a repeated key and both symbols
        {
            stream.KeyPress(key, 960).Silence(800);
        }

        var run = await Task.Run(() => Sipp.PlayRtp(_fixture.Sip.UdpEndpoint!, stream, _folder));
        Assert.True(run.ExitCode == 0, $"sipp exited with {run.ExitCode}:\n{run.Output}");

        var (events, consumer) = await _fixture.NextClosedCallAsync(TimeSpan.FromSeconds(10));
        var dtmf = events.OfType<CallDtmf>().ToList();
        Assert.Equal("122#*0", string.Concat(dtmf.Select(d => d.Key)));
        Assert.Equal(dtmf, consumer.Dtmf);
        Assert.All(dtmf, d => Assert.Equal(TimeSpan.FromMilliseconds(120), d.Duration));
        Assert.All(dtmf, d => Assert.True(d.Press.Ended));

        var statistics = Assert.IsType<CallMediaClosed>(events[^1]).Statistics;
        Assert.Equal(40, statistics.AudioPackets);
        Assert.Equal(6 * 5, statistics.TelephoneEventPackets); // per press: start, one update, three ends

        // On the audio timeline: 200 ms of silence, then a press every 120 + 100 ms.
        Assert.Equal(
            Enumerable.Range(0, 6).Select(i => TimeSpan.FromMilliseconds(200 + (i * 220))),
            dtmf.Select(d => d.StreamTime));
        Assert.Equal(6, statistics.DtmfPresses);
    }
}
