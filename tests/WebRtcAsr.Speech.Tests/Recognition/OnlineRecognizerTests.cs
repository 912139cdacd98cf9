using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Tests.Reference;
using WebRtcAsr.Speech.Transducer;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class OnlineRecognizerTests(ITestOutputHelper output)
{
    private static OnlineRecognizer Load(string model, DecodingMethod method = DecodingMethod.GreedySearch, int maxBatch = 16) =>
        OnlineRecognizer.Load(
            TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir(model)),
            new OnlineRecognizerOptions { DecodingMethod = method, MaxBatchSize = maxBatch, Endpoint = new EndpointOptions { Enabled = false } });

    private static float[] Utterance(string name) => ReferenceWav.Read(TestAudio.Utterance(name)).Samples;

    [Theory]
    [InlineData("zipformer2", DecodingMethod.GreedySearch)]
    [InlineData("zipformer2", DecodingMethod.ModifiedBeamSearch)]
    [InlineData("lstm", DecodingMethod.GreedySearch)]
    [InlineData("lstm", DecodingMethod.ModifiedBeamSearch)]
    [InlineData("zipformer", DecodingMethod.GreedySearch)]
    [InlineData("zipformer", DecodingMethod.ModifiedBeamSearch)]
    public void ChunksAllocateNothingAfterWarmUp(string model, DecodingMethod method)
    {
        using var recognizer = Load(model, method, maxBatch: 4);
        recognizer.WarmUp();
        string[] names = ["digits-4242424-jackson", "digits-3141-jackson", "digits-60221-nicolas"];
        var audio = names.Select(Utterance).ToArray();
        var streams = names.Select(_ => recognizer.CreateStream()).ToArray();
        var ready = new OnlineStream[streams.Length];
        var fed = 0;
        const int Chunk = 640; // 40 ms
        long decodeBytes = 0;
        long feedBytes = 0;
        var decodes = 0;
        var shortest = audio.Min(a => a.Length);
        for (var round = 0; fed + Chunk <= shortest; round++, fed += Chunk)
        {
            var collections = GC.CollectionCount(0);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < streams.Length; i++)
            {
                streams[i].AcceptWaveform(audio[i].AsSpan(fed, Chunk));
            }

            var afterFeed = GC.GetAllocatedBytesForCurrentThread();
            var n = 0;
            foreach (var s in streams)
            {
                if (recognizer.IsReady(s))
                {
                    ready[n++] = s;
                }
            }

            if (n > 0)
            {
                recognizer.DecodeStreams(ready.AsSpan(0, n));
            }

            var afterDecode = GC.GetAllocatedBytesForCurrentThread();

            // The per-thread allocation counter can jump when a collection runs mid-measurement
            // (dotnet/runtime#10207 behaviour), so rounds with a collection are not counted.
            if (GC.CollectionCount(0) == collections)
            {
                feedBytes += afterFeed - before;
                decodeBytes += afterDecode - afterFeed;
                decodes += n > 0 ? 1 : 0;
            }
        }

        output.WriteLine($"{model}/{method}: {decodes} batched decode calls, {decodeBytes} bytes allocated by decoding, {feedBytes} bytes by feeding audio");
        Assert.True(decodes > 5);
        Assert.Equal(0, decodeBytes);
    }

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
