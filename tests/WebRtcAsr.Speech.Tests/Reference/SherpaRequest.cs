namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>The decoding methods sherpa-onnx offers for transducers.</summary>
public static class SherpaDecodingMethod
{
    /// <summary>Greedy search: at most one token per encoder frame.</summary>
    public const string Greedy = "greedy_search";

    /// <summary>Modified beam search with <see cref="SherpaDecodeRequest.MaxActivePaths"/> paths.</summary>
    public const string ModifiedBeamSearch = "modified_beam_search";
}

/// <summary>A transducer model folder (encoder.onnx, decoder.onnx, joiner.onnx, tokens.txt).</summary>
/// <param name="Dir">Absolute path of the folder.</param>
/// <param name="Type">sherpa's modelType ("zipformer2", "zipformer", "lstm"); empty makes sherpa read it from the encoder's metadata.</param>
public sealed record SherpaModel(string Dir, string Type = "")
{
    /// <summary>One of the committed fixture models: "zipformer2", "zipformer" or "lstm" (the folder name is sherpa's model type).</summary>
    public static SherpaModel Fixture(string name) =>
        new(RepositoryLayout.FixtureModelDir(name), name.StartsWith("digits-", StringComparison.Ordinal) ? "" : name);
}

/// <summary>sherpa-onnx's endpoint rules (seconds; its defaults).</summary>
public sealed record SherpaEndpointRules(
    bool Enabled = true,
    double Rule1MinTrailingSilence = 2.4,
    double Rule2MinTrailingSilence = 1.2,
    double Rule3MinUtteranceLength = 20);

/// <summary>One stream: a WAV file fed in chunks of the given sizes (used in turn, cycling).</summary>
/// <param name="Id">A name that comes back in the result.</param>
/// <param name="Wav">Absolute path of a mono 16-bit PCM or float WAV (16 kHz for the fixtures).</param>
/// <param name="ChunkSamples">Sizes (samples) of the acceptWaveform calls.</param>
public sealed record SherpaStreamInput(string Id, string Wav, IReadOnlyList<int> ChunkSamples);

/// <summary>
/// A decode run: every stream decoded by ONE sherpa recognizer. The harness goes in rounds:
/// each stream with audio left accepts its next chunk, then all ready streams are decoded
/// together (decodeStreams) until none is ready, then endpoints are checked (and the stream
/// reset) and, when asked, partial results taken. When a stream's audio is used up it gets
/// <see cref="TailPaddingSeconds"/> of zeros and inputFinished, and is decoded to the end.
/// </summary>
public sealed record SherpaDecodeRequest
{
    /// <summary>Always "decode".</summary>
    public string Mode => "decode";

    /// <summary>The model to load.</summary>
    public required SherpaModel Model { get; init; }

    /// <summary>See <see cref="SherpaDecodingMethod"/>.</summary>
    public string DecodingMethod { get; init; } = SherpaDecodingMethod.Greedy;

    /// <summary>Beam size of modified beam search.</summary>
    public int MaxActivePaths { get; init; } = 4;

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int NumThreads { get; init; } = 1;

    /// <summary>Endpoint rules; null leaves endpointing off.</summary>
    public SherpaEndpointRules? Endpoint { get; init; }

    /// <summary>Zeros fed after the audio before inputFinished. sherpa only decodes a chunk once
    /// T + 1 feature frames are there (T = the model's chunk), so without padding the last
    /// partial chunk of speech is never decoded; sherpa's own examples add 0.3-0.66 s.</summary>
    public double TailPaddingSeconds { get; init; } = 0.66;

    /// <summary>Whether to call inputFinished at the end of each stream (flushes the fbank's last frames).</summary>
    public bool InputFinished { get; init; } = true;

    /// <summary>Whether to record the result after every chunk.</summary>
    public bool Partials { get; init; }

    /// <summary>The streams, decoded together.</summary>
    public required IReadOnlyList<SherpaStreamInput> Streams { get; init; }
}

/// <summary>
/// A throughput run: <see cref="Streams"/> concurrent streams (stream i plays Wavs[i % n],
/// <see cref="Repeat"/> times), each fed one <see cref="ChunkMs"/> chunk per round as fast as
/// sherpa decodes them.
/// </summary>
public sealed record SherpaBenchRequest
{
    /// <summary>Always "bench".</summary>
    public string Mode => "bench";

    /// <summary>The model to load.</summary>
    public required SherpaModel Model { get; init; }

    /// <summary>See <see cref="SherpaDecodingMethod"/>.</summary>
    public string DecodingMethod { get; init; } = SherpaDecodingMethod.Greedy;

    /// <summary>Beam size of modified beam search.</summary>
    public int MaxActivePaths { get; init; } = 4;

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int NumThreads { get; init; } = 1;

    /// <summary>Audio files the streams play.</summary>
    public required IReadOnlyList<string> Wavs { get; init; }

    /// <summary>Number of concurrent streams.</summary>
    public int Streams { get; init; } = 1;

    /// <summary>Chunk length fed per stream per round.</summary>
    public int ChunkMs { get; init; } = 20;

    /// <summary>How many times each stream plays its audio back to back.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Zeros fed after the audio before inputFinished.</summary>
    public double TailPaddingSeconds { get; init; } = 0.66;
}
