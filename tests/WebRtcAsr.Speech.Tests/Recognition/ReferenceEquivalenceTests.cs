using WebRtcAsr.Media.Audio;
using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Tests.Reference;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Recognition;

/// <summary>
/// Our recognizer against sherpa-onnx 1.13.8 on the fixture models and the committed utterances, fed in the
/// same random (seeded) chunks and decoded in the same rounds as the reference harness: token ids, timestamps,
/// text, per-token scores, endpoint segments must all match.
/// </summary>
public class ReferenceEquivalenceTests
{
    public static TheoryData<string, string> ModelsAndMethods => new()
    {
        { "zipformer2", SherpaDecodingMethod.Greedy },
        { "zipformer2", SherpaDecodingMethod.ModifiedBeamSearch },
        { "lstm", SherpaDecodingMethod.Greedy },
        { "lstm", SherpaDecodingMethod.ModifiedBeamSearch },
        { "zipformer", SherpaDecodingMethod.Greedy },
        { "zipformer", SherpaDecodingMethod.ModifiedBeamSearch },
        { "digits-en-lstm", SherpaDecodingMethod.Greedy },
        { "digits-en-lstm", SherpaDecodingMethod.ModifiedBeamSearch },
    };

    [Theory]
    [MemberData(nameof(ModelsAndMethods))]
    public void OneStreamInRandomChunksMatchesSherpa(string model, string method)
    {
        var wav = TestAudio.Utterance("digits-4242424-jackson");
        var audio = WavFile.Read(wav);
        var chunks = ChunkSchedule.Random(seed: 17, audio.Samples.Length, 80, 4000);
        var expected = Sherpa(model, method, null, [new SherpaStreamInput("a", wav, chunks)]);

        using var recognizer = Recognizer(model, method, null, expected.TailPaddingSeconds);
        var stream = recognizer.CreateStream();
        var fed = 0;
        foreach (var n in chunks)
        {
            stream.AcceptWaveform(audio.Samples.AsSpan(fed, n));
            fed += n;
            recognizer.DecodeAvailable(stream);
        }

        var final = recognizer.Finalize(stream);
        Assert.True(final.IsFinal);
        AssertSame(expected.Streams[0].Final, final, $"{model}/{method}");
    }

    [Theory]
    [MemberData(nameof(ModelsAndMethods))]
    public void BatchOfStreamsOfDifferentLengthsMatchesSherpa(string model, string method)
    {
        var inputs = Streams(seed: 5);
        var expected = Sherpa(model, method, null, inputs);
        var actual = RunRounds(model, method, null, inputs, expected.TailPaddingSeconds);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Empty(actual[i].Segments);
            AssertSame(expected.Streams[i].Final, actual[i].Final, $"{model}/{method} stream {inputs[i].Id}");
            AssertSamePartials(expected.Streams[i], actual[i], $"{model}/{method} stream {inputs[i].Id}");
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndMethods))]
    public void EndpointsAndResetsMatchSherpa(string model, string method)
    {
        // Short rules, so that the 1-3 s digit utterances are cut into several segments.
        var rules = new SherpaEndpointRules(true, 0.8, 0.32, 1.6);
        var inputs = Streams(seed: 9);
        var expected = Sherpa(model, method, rules, inputs);
        var actual = RunRounds(model, method, rules, inputs, expected.TailPaddingSeconds);
        var segments = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var context = $"{model}/{method} stream {inputs[i].Id}";
            var want = expected.Streams[i].Segments;
            Assert.Equal(want.Select(s => s.AfterChunk), actual[i].Segments.Select(s => s.AfterChunk));
            for (var k = 0; k < want.Count; k++)
            {
                var w = want[k];
                AssertSame(new SherpaRecognition(w.Text, w.Tokens, w.TokenIds, w.Timestamps, w.StartTime, w.Segment, w.YsProbs), actual[i].Segments[k].Result, $"{context} segment {k}");
            }

            AssertSame(expected.Streams[i].Final, actual[i].Final, context);
            AssertSamePartials(expected.Streams[i], actual[i], context);
            segments += want.Count;
        }

        Assert.True(segments >= inputs.Length, $"the rules should cut the utterances ({segments} segments)");
    }

    private static SherpaStreamInput[] Streams(int seed)
    {
        string[] names = ["digits-3141-jackson", "digits-95-lucas", "digits-60221-nicolas", "digits-8-yweweler"];
        var inputs = new SherpaStreamInput[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var wav = TestAudio.Utterance(names[i]);
            var length = WavFile.Read(wav).Samples.Length;
            inputs[i] = new SherpaStreamInput(names[i], wav, ChunkSchedule.Random(seed + i, length, 80, 4000));
        }

        return inputs;
    }

    private static SherpaDecodeResponse Sherpa(string model, string method, SherpaEndpointRules? rules, IReadOnlyList<SherpaStreamInput> streams) =>
        SherpaReference.Locate().Decode(new SherpaDecodeRequest
        {
            Model = SherpaModel.Fixture(model),
            DecodingMethod = method,
            MaxActivePaths = 4,
            Endpoint = rules ?? new SherpaEndpointRules(Enabled: false),
            Partials = true,
            Streams = streams,
        });

    private static OnlineRecognizer Recognizer(string model, string method, SherpaEndpointRules? rules, double tailSeconds)
    {
        var endpoint = rules is null
            ? new EndpointOptions { Enabled = false }
            : new EndpointOptions
            {
                Rule1 = new EndpointRule(false, Ms(rules.Rule1MinTrailingSilence), 0),
                Rule2 = new EndpointRule(true, Ms(rules.Rule2MinTrailingSilence), 0),
                Rule3 = new EndpointRule(false, 0, Ms(rules.Rule3MinUtteranceLength)),
            };
        return OnlineRecognizer.Load(TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir(model)), new OnlineRecognizerOptions
        {
            DecodingMethod = method == SherpaDecodingMethod.Greedy ? DecodingMethod.GreedySearch : DecodingMethod.ModifiedBeamSearch,
            Beam = 4,
            Endpoint = endpoint,
            TailPaddingMs = Ms(tailSeconds),
            MaxBatchSize = 3, // below the stream count, so that batches are also split
        });
    }

    private static int Ms(double seconds) => (int)Math.Round(seconds * 1000);

    /// <summary>Feeds and decodes the streams in the reference harness's rounds.</summary>
    private static StreamOutcome[] RunRounds(string model, string method, SherpaEndpointRules? rules, SherpaStreamInput[] inputs, double tailSeconds)
    {
        using var recognizer = Recognizer(model, method, rules, tailSeconds);
        var n = inputs.Length;
        var audio = inputs.Select(i => WavFile.Read(i.Wav).Samples).ToArray();
        var streams = inputs.Select(_ => recognizer.CreateStream()).ToArray();
        var outcomes = inputs.Select(_ => new StreamOutcome()).ToArray();
        var fed = new int[n];
        var chunk = new int[n];
        var lastChunkSeen = Enumerable.Repeat(-1, n).ToArray();
        var done = new bool[n];
        var tail = new float[(int)Math.Round(16000 * tailSeconds)];
        while (done.Contains(false))
        {
            for (var i = 0; i < n; i++)
            {
                if (done[i])
                {
                    continue;
                }

                var sizes = inputs[i].ChunkSamples;
                var size = Math.Min(sizes[chunk[i] % sizes.Count], audio[i].Length - fed[i]);
                if (size > 0)
                {
                    streams[i].AcceptWaveform(audio[i].AsSpan(fed[i], size));
                    fed[i] += size;
                }

                chunk[i]++;
                if (fed[i] >= audio[i].Length)
                {
                    streams[i].AcceptWaveform(tail);
                    streams[i].InputFinished();
                    done[i] = true;
                }
            }

            while (true)
            {
                var ready = streams.Where(recognizer.IsReady).ToArray();
                if (ready.Length == 0)
                {
                    break;
                }

                recognizer.DecodeStreams(ready);
            }

            for (var i = 0; i < n; i++)
            {
                if (lastChunkSeen[i] == chunk[i])
                {
                    continue;
                }

                lastChunkSeen[i] = chunk[i];
                if (rules is not null && recognizer.IsEndpoint(streams[i]))
                {
                    outcomes[i].Segments.Add((chunk[i], recognizer.GetResult(streams[i])));
                    recognizer.Reset(streams[i]);
                }

                outcomes[i].Partials.Add((chunk[i], recognizer.GetResult(streams[i]).Tokens.Select(t => t.Id).ToArray()));
            }
        }

        for (var i = 0; i < n; i++)
        {
            outcomes[i].Final = recognizer.GetResult(streams[i]);
        }

        return outcomes;
    }

    /// <summary>The interim result after every round (what live captions show) must match too.</summary>
    private static void AssertSamePartials(SherpaStreamResult expected, StreamOutcome actual, string context)
    {
        var want = expected.Partials ?? [];
        Assert.Equal(want.Count, actual.Partials.Count);
        for (var k = 0; k < want.Count; k++)
        {
            Assert.Equal(want[k].Chunk, actual.Partials[k].Chunk);
            Assert.True(want[k].TokenIds.SequenceEqual(actual.Partials[k].TokenIds), $"{context}: partial after chunk {want[k].Chunk} differs");
        }
    }

    private static void AssertSame(SherpaRecognition expected, RecognitionResult actual, string context)
    {
        var ids = actual.Tokens.Select(t => t.Id).ToArray();
        Assert.True(expected.TokenIds.SequenceEqual(ids), $"{context}: tokens differ\n sherpa: {string.Join(",", expected.TokenIds)}\n ours:   {string.Join(",", ids)}");
        Assert.Equal(expected.Tokens, actual.Tokens.Select(t => t.Symbol));
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Segment, actual.Segment);
        Assert.Equal(expected.StartTime, actual.SegmentStart, 5);
        for (var k = 0; k < ids.Length; k++)
        {
            // The harness prints 6 decimals; timestamps are multiples of 40 ms, so this is exact equality of frames.
            Assert.True(Math.Abs(expected.Timestamps[k] - actual.Tokens[k].Timestamp) < 1e-5, $"{context}: timestamp {k}: sherpa {expected.Timestamps[k]}, ours {actual.Tokens[k].Timestamp}");
            Assert.True(Math.Abs(expected.YsProbs[k] - Math.Log(actual.Tokens[k].Probability)) < 1e-4, $"{context}: score {k}: sherpa {expected.YsProbs[k]}, ours {Math.Log(actual.Tokens[k].Probability)}");
        }
    }

    private sealed class StreamOutcome
    {
        public List<(int AfterChunk, RecognitionResult Result)> Segments { get; } = [];

        public List<(int Chunk, int[] TokenIds)> Partials { get; } = [];

        public RecognitionResult Final { get; set; } = null!;
    }
}
