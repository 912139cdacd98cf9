using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Models;

/// <summary>
/// The whole receive path with the default model: held-out digit strings sent as a browser sends them
/// (Opus, 20 ms, in-band FEC), 5% of the packets lost at random, through the jitter buffer (FEC and
/// concealment), decoder and resampler into the recognizer. What is recognized must not change.
/// </summary>
public sealed class DigitModelLossTests(ITestOutputHelper output)
{
    [Fact]
    public void Five_percent_random_packet_loss_does_not_change_what_is_recognized()
    {
        var recordings = Fsdd.Recordings(RepoPaths.FsddRecordings());
        var strings = DigitStrings.Compose(recordings, r => r.IsTest, count: 2, seed: 7);
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(RepoPaths.Model("digits-en-lstm")), new OnnxSessionOptions());
        using var recognizer = new OnlineRecognizer(model);
        var random = new Random(5);
        var lostTotal = 0;
        var packetsTotal = 0;
        foreach (var source in strings)
        {
            var packets = OpusRtpStream.Packetize(DigitStrings.Resample(source, 48000).Samples);
            var lost = packets.Select(_ => random.NextDouble() < 0.05).ToArray();
            lostTotal += lost.Count(l => l);
            packetsTotal += packets.Count;

            var clean = Recognize(recognizer, OpusRtpStream.Receive(packets, _ => false));
            var lossy = Recognize(recognizer, OpusRtpStream.Receive(packets, i => lost[i]));

            output.WriteLine($"{source.Speaker} said {source.Digits}: clean {clean}, with {lost.Count(l => l)} of {packets.Count} packets lost {lossy}");
            Assert.Equal(clean, lossy);
        }

        output.WriteLine($"{lostTotal} of {packetsTotal} packets lost ({lostTotal * 100.0 / packetsTotal:F1}%)");
        Assert.InRange(lostTotal * 1.0 / packetsTotal, 0.03, 0.07);
    }

    private static string Recognize(OnlineRecognizer recognizer, float[] samples16k) =>
        DigitRecognition.Run(recognizer, new DigitString("", "", samples16k, 16000, []), chunkSamples: 320).Transcript;
}
