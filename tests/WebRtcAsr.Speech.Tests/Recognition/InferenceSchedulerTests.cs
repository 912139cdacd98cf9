using WebRtcAsr.Media.Audio;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Scheduling;
using WebRtcAsr.Speech.Tests.Reference;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class InferenceSchedulerTests
{
    private static OnlineRecognizer Load() => OnlineRecognizer.Load(
        TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir("zipformer2")),
        new OnlineRecognizerOptions { Endpoint = new EndpointOptions { Enabled = false } });

    [Fact]
    public async Task ConcurrentProducersGetWhatEachStreamGetsAlone()
    {
        var names = TestAudio.UtteranceNames.Take(5).ToArray();
        var audio = names.Select(n => WavFile.Read(TestAudio.Utterance(n)).Samples).ToArray();

        using var recognizer = Load();
        var expected = audio.Select(a =>
        {
            var s = recognizer.CreateStream();
            s.AcceptWaveform(a);
            return recognizer.Finalize(s).Tokens.Select(t => (t.Id, t.Timestamp)).ToArray();
        }).ToArray();

        await using var scheduler = new InferenceScheduler(recognizer, new InferenceSchedulerOptions { QueueCapacity = 2, MaxBatchSize = 3 });
        var decodedChunks = new int[names.Length];
        var producers = audio.Select((a, i) => Task.Run(async () =>
        {
            var stream = recognizer.CreateStream();
            for (var fed = 0; fed < a.Length; fed += 1280)
            {
                stream.AcceptWaveform(a.AsSpan(fed, Math.Min(1280, a.Length - fed)));
                while (recognizer.IsReady(stream))
                {
                    Assert.True(await scheduler.DecodeAsync(stream));
                    decodedChunks[i]++;
                }
            }

            return recognizer.Finalize(stream).Tokens.Select(t => (t.Id, t.Timestamp)).ToArray();
        })).ToArray();

        var actual = await Task.WhenAll(producers);
        Assert.Equal(decodedChunks.Sum(), scheduler.StreamsDecoded);
        Assert.InRange(scheduler.Batches, (decodedChunks.Sum() + 2) / 3, decodedChunks.Sum());
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(expected[i], actual[i]);
            Assert.True(decodedChunks[i] > 0);
        }
    }

    [Fact]
    public async Task NotReadyStreamCompletesFalseAndCancellationAndDisposalAreReported()
    {
        using var recognizer = Load();
        var scheduler = new InferenceScheduler(recognizer);
        var stream = recognizer.CreateStream();
        Assert.False(await scheduler.DecodeAsync(stream));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await scheduler.DecodeAsync(stream, cancelled.Token));

        await scheduler.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await scheduler.DecodeAsync(stream));
    }
}
