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
    public void SteadyStateChunksAllocateNothing(string model, DecodingMethod method)
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
            if (round >= 25) // after the first chunks (hypothesis lists settle)
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
}
