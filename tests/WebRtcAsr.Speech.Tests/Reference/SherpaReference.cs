using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.Speech.Tests.Reference;

/// <summary>
/// Runs the reference recognizer, sherpa-onnx 1.13.8 through its Node API, on a transducer
/// model and audio, by starting tests/reference/sherpa-ref.js with Node.js. Tests compare our
/// recognizer's tokens and timestamps with what this returns for the same model, audio and
/// chunking.
/// </summary>
/// <example>
/// <code>
/// var sherpa = SherpaReference.Locate();           // throws, with what to do, if Node or sherpa is missing
/// var wav = TestAudio.Utterance("digits-3141-jackson");
/// var audio = WavFile.Read(wav);               // the same samples sherpa reads
/// var chunks = ChunkSchedule.Random(seed: 1, audio.Samples.Length, 80, 4000);
/// var response = sherpa.Decode(new SherpaDecodeRequest
/// {
///     Model = SherpaModel.Fixture("zipformer2"),
///     DecodingMethod = SherpaDecodingMethod.Greedy,
///     Streams = [new SherpaStreamInput("a", wav, chunks)],
/// });
/// var expected = response.Streams[0].Final;        // TokenIds, Timestamps (s), Text
/// // feed audio.Samples to our recognizer in the same chunks, then 0.66 s of zeros
/// // (response.TailPaddingSeconds) and input-finished, and compare.
/// </code>
/// </example>
public sealed class SherpaReference
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private SherpaReference(string nodePath, string harnessPath)
    {
        NodePath = nodePath;
        HarnessPath = harnessPath;
    }

    /// <summary>The node executable used.</summary>
    public string NodePath { get; }

    /// <summary>The harness script (tests/reference/sherpa-ref.js).</summary>
    public string HarnessPath { get; }

    /// <summary>How long one harness run may take before it is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Finds node ($WEBRTCASR_NODE, else on PATH), the harness, and sherpa-onnx-node in the
    /// bootstrap's dependencies folder.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of them is missing; the message says how to get it.</exception>
    public static SherpaReference Locate()
    {
        var harness = Path.Combine(RepositoryLayout.Root, "tests", "reference", "sherpa-ref.js");
        if (!File.Exists(harness))
        {
            throw new InvalidOperationException($"the reference harness is missing: {harness}");
        }

        var module = Path.Combine(RepositoryLayout.DepsDir, "node", "node_modules", "sherpa-onnx-node");
        var native = Path.Combine(RepositoryLayout.DepsDir, "node", "node_modules", "sherpa-onnx-linux-x64");
        if (!Directory.Exists(module) || !Directory.Exists(native))
        {
            throw new InvalidOperationException(
                $"sherpa-onnx (npm sherpa-onnx-node and sherpa-onnx-linux-x64) is not installed under {RepositoryLayout.DepsDir}/node; " +
                "run ./test.sh, it bootstraps them (or scripts/bootstrap.sh --test)");
        }

        var node = FindNode() ?? throw new InvalidOperationException(
            "Node.js was not found (WEBRTCASR_NODE names a missing file, or node is not on PATH); " +
            "run ./test.sh, it bootstraps it (Debian nodejs)");
        return new SherpaReference(node, harness);
    }

    /// <summary>Decodes the request's streams with sherpa-onnx.</summary>
    /// <exception cref="InvalidOperationException">The harness failed; the message holds its error.</exception>
    public SherpaDecodeResponse Decode(SherpaDecodeRequest request) =>
        Run<SherpaDecodeRequest, SherpaDecodeResponse>(request);

    /// <summary>Runs a throughput measurement with sherpa-onnx.</summary>
    /// <exception cref="InvalidOperationException">The harness failed; the message holds its error.</exception>
    public SherpaBenchResponse Bench(SherpaBenchRequest request) =>
        Run<SherpaBenchRequest, SherpaBenchResponse>(request);

    private TResponse Run<TRequest, TResponse>(TRequest request)
    {
        var start = new ProcessStartInfo(NodePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        start.ArgumentList.Add(HarnessPath);

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"could not start {NodePath}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(request, Json));
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the reference harness ran longer than {Timeout}");
        }

        process.WaitForExit(); // lets the output readers finish
        var output = stdout.GetAwaiter().GetResult();
        var errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"the reference harness failed (exit code {process.ExitCode}): {errors.Trim()}");
        }

        return JsonSerializer.Deserialize<TResponse>(output, Json)
            ?? throw new InvalidOperationException($"the reference harness printed no result; stderr: {errors.Trim()}");
    }

    private static string? FindNode()
    {
        if (Environment.GetEnvironmentVariable("WEBRTCASR_NODE") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
