using System.Text.Json;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Models;

/// <summary>
/// The committed default model on held-out speech: a fixed sample of digit strings made from the FSDD
/// recordings the model never trained on (indexes 0-4), through the streaming path. Its digit error rate must
/// stay at or below the figure its model card states, so a change that breaks the front end, the decoder or
/// the model files is caught.
/// </summary>
public sealed class DigitModelTests(ITestOutputHelper output)
{
    private const string ModelName = "digits-en-lstm";

    [Fact]
    public void Held_out_digit_strings_are_recognized_within_the_model_cards_error_rate()
    {
        var modelDir = RepoPaths.Model(ModelName);
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "results.json")));
        var ci = card.RootElement.GetProperty("ci_sample");
        var stringsPerSpeaker = ci.GetProperty("strings_per_speaker").GetInt32();
        var seed = ci.GetProperty("seed").GetInt32();
        var limit = ci.GetProperty("max_digit_error_rate").GetDouble();

        var recordings = Fsdd.Recordings(RepoPaths.FsddRecordings());
        var strings = DigitStrings.Compose(recordings, r => r.IsTest, stringsPerSpeaker, seed);
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(modelDir), new OnnxSessionOptions());
        using var recognizer = new OnlineRecognizer(model);
        var rate = new DigitErrorRate();
        foreach (var source in strings)
        {
            var result = DigitRecognition.Run(recognizer, DigitStrings.Resample(source, 16000), chunkSamples: 320);
            rate.Add(source.Digits, result.Digits);
            if (result.Digits != source.Digits)
            {
                output.WriteLine($"{source.Speaker}: said {source.Digits}, heard {result.Digits} (\"{result.Transcript}\")");
            }
        }

        output.WriteLine($"digit error rate {rate.Rate:P2} ({rate.Errors}/{rate.Digits}), {rate.StringsWrong}/{rate.Strings} strings wrong; limit {limit:P2}");
        Assert.True(rate.Digits > 100, "the sample is too small to mean anything");
        Assert.True(rate.Rate <= limit, $"digit error rate {rate.Rate:P2} is above the model card's {limit:P2}");
    }

    [Fact]
    public void Four_one_five_two_is_heard_as_spoken_and_as_numerals()
    {
        var modelDir = RepoPaths.Model(ModelName);
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(modelDir), new OnnxSessionOptions());
        using var recognizer = new OnlineRecognizer(model);
        var audio = Media.Audio.WavFile.Read(Path.Combine(modelDir, "sample-4152.wav"));
        var sample = DigitStrings.Resample(new DigitString("sample", "4152", audio.ToMono(), audio.SampleRate, []), 16000);

        var result = DigitRecognition.Run(recognizer, sample, chunkSamples: 320);

        Assert.Equal("four one five two", result.Transcript.ToLowerInvariant());
        Assert.Equal("4152", WebRtcAsr.Speech.Captions.DigitNumerals.Apply(result.Transcript.ToLowerInvariant()));
    }
}
