using WebRtcAsr.Media.Audio;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Tests.Reference;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class OnlineRecognizerTests
{
    private static OnlineRecognizer Load(string model, DecodingMethod method = DecodingMethod.GreedySearch, int maxBatch = 16) =>
        OnlineRecognizer.Load(
            TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir(model)),
            new OnlineRecognizerOptions { DecodingMethod = method, MaxBatchSize = maxBatch, Endpoint = new EndpointOptions { Enabled = false } });

    private static float[] Utterance(string name) => WavFile.Read(TestAudio.Utterance(name)).Samples;

    [Fact]
    public void MisuseIsRefusedClearly()
    {
        using var recognizer = Load("lstm");
        using var other = Load("lstm");
        var stream = recognizer.CreateStream();
        Assert.False(recognizer.IsReady(stream));
        Assert.Throws<InvalidOperationException>(() => recognizer.DecodeStream(stream));

        stream.AcceptWaveform(new float[3200]);
        Assert.True(recognizer.IsReady(stream));
        Assert.Throws<ArgumentException>(() => other.DecodeStream(stream));

        stream.InputFinished();
        Assert.Throws<InvalidOperationException>(() => stream.AcceptWaveform(new float[10]));
    }

    [Fact]
    public void FrontEndThatDoesNotMatchTheEncoderIsRefused()
    {
        using var model = TransducerModel.Load(TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir("lstm")));
        var ex = Assert.Throws<ArgumentException>(() => new OnlineRecognizer(model, new OnlineRecognizerOptions { Fbank = new WebRtcAsr.Speech.Features.FbankOptions { NumBins = 40 } }));
        Assert.Contains(model.Paths.Encoder, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalizeWithoutAudioGivesAnEmptyFinalResult()
    {
        using var recognizer = Load("zipformer2");
        var result = recognizer.Finalize(recognizer.CreateStream());
        Assert.True(result.IsFinal);
        Assert.Equal(string.Empty, result.Text);
        Assert.Empty(result.Tokens);
        Assert.Empty(result.Words);
    }

    [Fact]
    public void FinalResultCarriesWordsWithTimesAndConfidences()
    {
        using var recognizer = Load("zipformer2", DecodingMethod.ModifiedBeamSearch);
        var stream = recognizer.CreateStream();
        var audio = Utterance("digits-60221-nicolas");
        stream.AcceptWaveform(audio);
        recognizer.DecodeAvailable(stream);
        var result = recognizer.Finalize(stream);

        Assert.NotEmpty(result.Words);
        Assert.Equal(result.Text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(result.Words.Select(w => w.Word)));
        Assert.Equal(result.Text.Split(' ').Length, result.Words.Count);
        var previousEnd = 0.0;
        foreach (var w in result.Words)
        {
            Assert.InRange(w.Start, previousEnd - 1e-9, audio.Length / 16000.0 + 1);
            Assert.True(w.End > w.Start);
            Assert.InRange(w.Confidence, 0f, 1f);
            previousEnd = w.Start;
        }
    }
}
