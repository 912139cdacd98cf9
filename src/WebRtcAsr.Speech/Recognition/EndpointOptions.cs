namespace WebRtcAsr.Speech.Recognition;

/// <summary>sherpa-onnx's three endpoint rules, with its defaults.</summary>
public sealed record EndpointOptions
{
    /// <summary>Whether endpoints are detected at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Rule 1: long trailing silence, whether or not anything was decoded (2.4 s).</summary>
    public EndpointRule Rule1 { get; init; } = new(false, 2400, 0);

    /// <summary>Rule 2: trailing silence after speech (1.2 s).</summary>
    public EndpointRule Rule2 { get; init; } = new(true, 1200, 0);

    /// <summary>Rule 3: maximum utterance length (20 s).</summary>
    public EndpointRule Rule3 { get; init; } = new(false, 0, 20000);
}
