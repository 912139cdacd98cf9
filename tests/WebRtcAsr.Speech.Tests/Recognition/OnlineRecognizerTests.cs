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

    [Theory]
    [InlineData(DecodingMethod.GreedySearch)]
    [InlineData(DecodingMethod.ModifiedBeamSearch)]
    public void ResultsReadAfterEveryChunkAreTheResultsMadeAfreshAndStayAsTheyWere(DecodingMethod method)
    {
        using var recognizer = Load("zipformer2", method);
        var table = recognizer.Model.Tokens;
        var frameSeconds = (float)(recognizer.Model.SubsamplingFactor * 10 / 1000.0);
        var stream = recognizer.CreateStream();
        var audio = Utterance("digits-4242424-jackson");
        var seen = new List<(RecognitionResult Result, string Text, RecognizedToken[] Tokens, RecognizedWord[] Words)>();
        RecognitionResult? previous = null;
        var unchanged = 0;
        for (var fed = 0; fed + 320 <= audio.Length; fed += 320)
        {
            stream.AcceptWaveform(audio.AsSpan(fed, 320));
            recognizer.DecodeAvailable(stream);
            if (fed == audio.Length / 2 / 320 * 320)
            {
                recognizer.Reset(stream); // a second segment: old results must keep their tokens and words
            }

            var result = recognizer.GetResult(stream, out var changed);
            if (!changed)
            {
                Assert.Same(previous, result);
                unchanged++;
                continue;
            }

            // What the result must be, made from its tokens alone.
            var tokens = result.Tokens.ToArray();
            Assert.Equal(string.Concat(tokens.Select(t => t.Symbol)).TrimStart(' '), result.Text);
            Assert.Equal(tokens.Select(t => t.Symbol), tokens.Select(t => table.DisplaySymbol(t.Id)));
            var words = WordAssembler.Assemble(table, tokens, result.SegmentStart, frameSeconds);
            Assert.Equal(words, result.Words);
            seen.Add((result, result.Text, tokens, words));
            previous = result;
        }

        Assert.True(seen.Count > 5 && unchanged > 5, $"{seen.Count} changed, {unchanged} unchanged");
        Assert.Contains(seen, s => s.Result.Segment > 0 || s.Result.SegmentStart > 0);
        foreach (var (result, text, tokens, words) in seen)
        {
            Assert.Equal(text, result.Text);
            Assert.Equal(tokens, result.Tokens);
            Assert.Equal(words, result.Words);
        }
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
