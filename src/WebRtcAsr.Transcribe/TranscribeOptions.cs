using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Transcribe;

/// <summary>What the user asked `transcribe` to do.</summary>
internal sealed record TranscribeOptions
{
    public required string WavPath { get; init; }

    public string? ModelDirectory { get; init; }

    public DecodingMethod Decoding { get; init; } = DecodingMethod.GreedySearch;

    public int Beam { get; init; } = 4;

    /// <summary>Feed audio at the pace it was spoken instead of as fast as possible.</summary>
    public bool Realtime { get; init; }

    /// <summary>Audio per chunk fed to the recognizer, milliseconds.</summary>
    public int ChunkMs { get; init; } = 20;

    public bool Endpointing { get; init; } = true;

    /// <summary>Trailing silence after speech that ends an utterance (sherpa-onnx rule 2), ms.</summary>
    public int EndpointSilenceMs { get; init; } = 1200;

    /// <summary>Trailing silence with nothing decoded that ends a segment (rule 1), ms.</summary>
    public int EndpointSilenceNoSpeechMs { get; init; } = 2400;

    /// <summary>Longest utterance before it is cut (rule 3), ms.</summary>
    public int MaxUtteranceMs { get; init; } = 20000;

    public bool InterimResults { get; init; } = true;

    public bool Numerals { get; init; }

    public int Threads { get; init; } = 1;

    public string Provider { get; init; } = "cpu";
}
