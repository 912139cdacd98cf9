namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>What sherpa-onnx recognised for a stream (or one endpoint segment of it).</summary>
/// <param name="Text">The text (pieces joined, "▁" shown as a space).</param>
/// <param name="Tokens">Token strings as sherpa gives them ("▁" shown as a space; &lt;unk&gt; dropped).</param>
/// <param name="TokenIds">The ids of <paramref name="Tokens"/> in tokens.txt.</param>
/// <param name="Timestamps">Per token, seconds from the segment start (encoder frame x 0.04 s).</param>
/// <param name="StartTime">Seconds from the stream start to the segment start.</param>
/// <param name="Segment">The segment number (counts endpoints that ended a non-empty result).</param>
/// <param name="YsProbs">Per token, the log-probability sherpa reports.</param>
public sealed record SherpaRecognition(
    string Text,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<int> TokenIds,
    IReadOnlyList<double> Timestamps,
    double StartTime,
    int Segment,
    IReadOnlyList<double> YsProbs);

/// <summary>A result finalised at an endpoint, before sherpa's reset.</summary>
/// <param name="AfterChunk">How many chunks the stream had accepted when the endpoint was seen.</param>
/// <param name="SamplesFed">How many samples of the WAV had been fed by then.</param>
/// <param name="Text">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="Tokens">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="TokenIds">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="Timestamps">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="StartTime">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="Segment">As in <see cref="SherpaRecognition"/>.</param>
/// <param name="YsProbs">As in <see cref="SherpaRecognition"/>.</param>
public sealed record SherpaSegment(
    int AfterChunk,
    long SamplesFed,
    string Text,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<int> TokenIds,
    IReadOnlyList<double> Timestamps,
    double StartTime,
    int Segment,
    IReadOnlyList<double> YsProbs);

/// <summary>The result after a chunk was accepted and decoded.</summary>
public sealed record SherpaPartial(int Chunk, long SamplesFed, string Text, IReadOnlyList<int> TokenIds);

/// <summary>One stream's results.</summary>
/// <param name="Id">The stream's id from the request.</param>
/// <param name="SampleRate">The WAV's sample rate.</param>
/// <param name="Samples">The WAV's length in samples (without the tail padding).</param>
/// <param name="Segments">Results finalised at endpoints (empty without endpointing).</param>
/// <param name="Final">The result at the end of the stream (after the last endpoint, if any).</param>
/// <param name="Partials">Results after each chunk, when asked for.</param>
public sealed record SherpaStreamResult(
    string Id,
    int SampleRate,
    long Samples,
    IReadOnlyList<SherpaSegment> Segments,
    SherpaRecognition Final,
    IReadOnlyList<SherpaPartial>? Partials);

/// <summary>The answer to a <see cref="SherpaDecodeRequest"/>, streams in request order.</summary>
/// <param name="SherpaOnnxVersion">sherpa-onnx's version.</param>
/// <param name="OnnxruntimeVersion">The ONNX Runtime sherpa-onnx ships and ran the model with.</param>
/// <param name="TailPaddingSeconds">Zeros fed after each stream's audio.</param>
/// <param name="Streams">Per stream results, in request order.</param>
public sealed record SherpaDecodeResponse(
    string SherpaOnnxVersion,
    string OnnxruntimeVersion,
    double TailPaddingSeconds,
    IReadOnlyList<SherpaStreamResult> Streams);

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record SherpaLatency(double P50, double P95, double Max);

/// <summary>The answer to a <see cref="SherpaBenchRequest"/>.</summary>
/// <param name="SherpaOnnxVersion">sherpa-onnx's version.</param>
/// <param name="OnnxruntimeVersion">The ONNX Runtime sherpa-onnx ships and ran the model with.</param>
/// <param name="DecodingMethod">The decoding method used.</param>
/// <param name="NumThreads">ONNX Runtime intra-op threads.</param>
/// <param name="Streams">Concurrent streams.</param>
/// <param name="ChunkMs">Chunk fed per stream per round.</param>
/// <param name="WallSeconds">Time from the first chunk to the last result, seconds.</param>
/// <param name="AudioSeconds">Audio of all streams together, seconds (without tail padding).</param>
/// <param name="Tokens">Tokens recognised in all streams.</param>
/// <param name="DecodeCalls">decodeStreams calls made.</param>
/// <param name="Rounds">Rounds (chunks per stream).</param>
/// <param name="Rtf">Wall time over the audio seconds of all streams together.</param>
/// <param name="DecodeCallMs">Duration of each decodeStreams call (one encoder chunk of every ready stream).</param>
/// <param name="RoundMs">Duration of each round (decoding what one chunk of every stream made ready).</param>
public sealed record SherpaBenchResponse(
    string SherpaOnnxVersion,
    string OnnxruntimeVersion,
    string DecodingMethod,
    int NumThreads,
    int Streams,
    int ChunkMs,
    double WallSeconds,
    double AudioSeconds,
    double Rtf,
    int Tokens,
    int DecodeCalls,
    SherpaLatency DecodeCallMs,
    int Rounds,
    SherpaLatency RoundMs);
