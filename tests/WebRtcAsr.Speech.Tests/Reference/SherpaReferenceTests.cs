using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Proves the reference harness runs sherpa-onnx on every fixture model and returns
/// well-formed results, so recognizer tests can trust it as the expected output.
/// </summary>
public sealed class SherpaReferenceTests
{
    // Located on first use, so a missing Node or sherpa-onnx fails each test with Locate's message.
    private static readonly Lazy<SherpaReference> LazySherpa = new(SherpaReference.Locate);

    private static SherpaReference Sherpa => LazySherpa.Value;

    public static TheoryData<string> Models => ["zipformer2", "lstm", "zipformer"];

    // Greedy search over every committed utterance, per model, shared by the tests below.
    private static readonly Dictionary<string, Lazy<SherpaDecodeResponse>> GreedyAll = new()
    {
        ["zipformer2"] = new(() => DecodeAll("zipformer2", SherpaDecodingMethod.Greedy)),
        ["lstm"] = new(() => DecodeAll("lstm", SherpaDecodingMethod.Greedy)),
        ["zipformer"] = new(() => DecodeAll("zipformer", SherpaDecodingMethod.Greedy)),
    };

    private static Dictionary<string, int> TokenIds(string model) =>
        File.ReadAllLines(Path.Combine(RepositoryLayout.FixtureModelDir(model), "tokens.txt"))
            .Select(line => line.Split(' '))
            .ToDictionary(p => p[0].Replace('▁', ' '), p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    private static SherpaStreamInput Stream(string name, IReadOnlyList<int>? chunks = null) =>
        new(name, TestAudio.Utterance(name), chunks ?? [1600]);

    private static SherpaDecodeResponse DecodeAll(string model, string method, Func<string, IReadOnlyList<int>>? chunks = null) =>
        Sherpa.Decode(new SherpaDecodeRequest
        {
            Model = SherpaModel.Fixture(model),
            DecodingMethod = method,
            Streams = [.. TestAudio.UtteranceNames.Select(n => Stream(n, chunks?.Invoke(n)))],
        });

    [Theory]
    [MemberData(nameof(Models))]
    public void Greedy_search_gives_tokens_with_ids_from_tokens_txt_and_increasing_timestamps(string model)
    {
        var ids = TokenIds(model);
        var response = GreedyAll[model].Value;

        Assert.Equal("1.13.8", response.SherpaOnnxVersion);
        Assert.Matches(@"^\d+\.\d+\.\d+$", response.OnnxruntimeVersion);
        Assert.Equal(TestAudio.UtteranceNames, response.Streams.Select(s => s.Id));
        foreach (var stream in response.Streams)
        {
            var r = stream.Final;
            Assert.NotEmpty(r.TokenIds);
            Assert.Equal(r.Tokens.Count, r.TokenIds.Count);
            Assert.Equal(r.Tokens.Count, r.Timestamps.Count);
            Assert.Equal(r.Tokens.Select(t => ids[t]), r.TokenIds);
            Assert.Equal(string.Concat(r.Tokens).TrimStart(), r.Text); // sherpa drops the leading space
            Assert.All(r.TokenIds, id => Assert.InRange(id, 3, ids.Count - 1)); // never blank, <sos/eos>, <unk>
            for (var i = 1; i < r.Timestamps.Count; i++)
            {
                Assert.True(r.Timestamps[i] > r.Timestamps[i - 1], $"{stream.Id}: greedy search emits at most one token per frame");
            }

            Assert.All(r.Timestamps, t => Assert.Equal(0, (t / 0.04) - Math.Round(t / 0.04), 3)); // whole 40 ms frames
            Assert.InRange(r.Timestamps[^1], 0, ((double)stream.Samples / stream.SampleRate) + response.TailPaddingSeconds);
            Assert.Equal(16000, stream.SampleRate);
            Assert.Empty(stream.Segments);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Modified_beam_search_runs_and_differs_from_greedy_search_on_some_utterances(string model)
    {
        var greedy = GreedyAll[model].Value;
        var beam = DecodeAll(model, SherpaDecodingMethod.ModifiedBeamSearch);

        Assert.All(beam.Streams, s => Assert.NotEmpty(s.Final.TokenIds));
        Assert.All(beam.Streams, s => Assert.Equal(s.Final.TokenIds.Count, s.Final.Timestamps.Count));
        var differing = greedy.Streams.Zip(beam.Streams).Count(p => !p.First.Final.TokenIds.SequenceEqual(p.Second.Final.TokenIds));
        Assert.InRange(differing, 1, greedy.Streams.Count);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Streams_of_different_lengths_decoded_together_in_random_chunks_match_each_decoded_alone(string model)
    {
        var together = DecodeAll(model, SherpaDecodingMethod.Greedy, name =>
            ChunkSchedule.Random(name.Length, WavFile.Read(TestAudio.Utterance(name)).Samples.Length, 1, 5000));

        foreach (var name in TestAudio.UtteranceNames.Take(2))
        {
            var alone = Sherpa.Decode(new SherpaDecodeRequest
            {
                Model = SherpaModel.Fixture(model),
                Streams = [Stream(name, [16000 * 10])],
            }).Streams[0].Final;
            var batched = together.Streams.Single(s => s.Id == name).Final;
            Assert.Equal(alone.TokenIds, batched.TokenIds);
            Assert.Equal(alone.Timestamps, batched.Timestamps);
        }

        // And the other streams match the fixed-chunk batch decode.
        Assert.Equal(
            GreedyAll[model].Value.Streams.Select(s => s.Final.TokenIds),
            together.Streams.Select(s => s.Final.TokenIds));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Sherpa_reads_the_model_type_from_the_encoder_metadata_when_none_is_given(string model)
    {
        var name = TestAudio.UtteranceNames[0];
        var detected = Sherpa.Decode(new SherpaDecodeRequest
        {
            Model = SherpaModel.Fixture(model) with { Type = "" },
            Streams = [Stream(name)],
        }).Streams[0].Final;

        Assert.Equal(GreedyAll[model].Value.Streams[0].Final.TokenIds, detected.TokenIds);
    }

    [Fact]
    public void Partial_results_grow_into_the_final_result()
    {
        var response = Sherpa.Decode(new SherpaDecodeRequest
        {
            Model = SherpaModel.Fixture("zipformer2"),
            Partials = true,
            Streams = [Stream("digits-4242424-jackson", [2400])],
        });

        var stream = response.Streams[0];
        var partials = stream.Partials!;
        Assert.Equal((int)Math.Ceiling(stream.Samples / 2400.0), partials.Count);
        for (var i = 1; i < partials.Count; i++)
        {
            var before = partials[i - 1].TokenIds;
            Assert.Equal(before, partials[i].TokenIds.Take(before.Count)); // greedy results only grow
        }

        Assert.Equal(stream.Final.TokenIds, partials[^1].TokenIds);
        Assert.Equal(stream.Samples, partials[^1].SamplesFed);
    }

    [Fact]
    public void Endpoint_rules_split_a_stream_with_long_pauses_into_segments()
    {
        var pause = new float[16000 * 2];
        var speech = TestAudio.UtteranceNames.Take(3).Select(n => WavFile.Read(TestAudio.Utterance(n)).Samples);
        var samples = speech.SelectMany(s => s.Concat(pause)).ToArray();
        var wav = TestAudio.WriteTemporaryWav(samples);
        try
        {
            var response = Sherpa.Decode(new SherpaDecodeRequest
            {
                Model = SherpaModel.Fixture("zipformer2"),
                Endpoint = new SherpaEndpointRules(Rule1MinTrailingSilence: 1.5, Rule2MinTrailingSilence: 0.8),
                Streams = [new SherpaStreamInput("long", wav, [1600])],
            });

            var segments = response.Streams[0].Segments.Where(s => s.TokenIds.Count > 0).ToList();
            Assert.InRange(segments.Count, 2, 6);
            Assert.Equal(Enumerable.Range(0, segments.Count), segments.Select(s => s.Segment));
            for (var i = 1; i < segments.Count; i++)
            {
                Assert.True(segments[i].StartTime > segments[i - 1].StartTime);
                Assert.True(segments[i].SamplesFed > segments[i - 1].SamplesFed);
            }
        }
        finally
        {
            File.Delete(wav);
        }
    }

    [Fact]
    public void Bench_mode_reports_the_audio_it_decoded()
    {
        var wav = TestAudio.Utterance("digits-95-lucas");
        var seconds = WavFile.Read(wav).DurationSeconds;
        var response = Sherpa.Bench(new SherpaBenchRequest
        {
            Model = SherpaModel.Fixture("lstm"),
            Wavs = [wav],
            Streams = 3,
            ChunkMs = 20,
        });

        Assert.Equal(3, response.Streams);
        Assert.Equal("1.13.8", response.SherpaOnnxVersion);
        Assert.Equal(3 * seconds, response.AudioSeconds, 6);
        Assert.Equal((int)Math.Ceiling(seconds / 0.02), response.Rounds);
        Assert.True(response.Tokens > 0);
        Assert.True(response.DecodeCalls > 0);
        Assert.Equal(response.WallSeconds / response.AudioSeconds, response.Rtf, 9);
        Assert.True(response.DecodeCallMs.P50 <= response.DecodeCallMs.P95 && response.DecodeCallMs.P95 <= response.DecodeCallMs.Max);
    }

    [Fact]
    public void A_missing_model_is_reported_with_the_harness_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Sherpa.Decode(new SherpaDecodeRequest
        {
            Model = new SherpaModel(Path.Combine(RepositoryLayout.Root, "models", "no-such-model")),
            Streams = [Stream("digits-8-yweweler")],
        }));
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }
}
