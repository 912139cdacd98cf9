using System.Globalization;
using WebRtcAsr.Speech.Vad;

namespace WebRtcAsr.Speech.Tests.Vad;

/// <summary>Keeps everything a detector reports, for tests (allocates freely).</summary>
internal sealed class RecordingSink : IVoiceActivitySink
{
    public List<SpeechBoundary> Starts { get; } = [];

    public List<SpeechBoundary> Ends { get; } = [];

    /// <summary>Forwarded audio as contiguous runs: (stream start, samples).</summary>
    public List<(long Start, List<float> Samples)> Runs { get; } = [];

    public List<float> Probabilities { get; } = [];

    /// <summary>Everything in order, as text: events with the forwarded count at that moment, and runs.</summary>
    public List<string> Log { get; } = [];

    public long Forwarded { get; private set; }

    public void OnSpeechStarted(SpeechBoundary start)
    {
        Starts.Add(start);
        Log.Add(string.Create(CultureInfo.InvariantCulture, $"start {start.StreamSample} decided {start.DecidedAtSample} after {Forwarded} forwarded"));
    }

    public void OnSpeechEnded(SpeechBoundary end)
    {
        Ends.Add(end);
        Log.Add(string.Create(CultureInfo.InvariantCulture, $"end {end.StreamSample} decided {end.DecidedAtSample} after {Forwarded} forwarded"));
    }

    public void OnGatedAudio(ReadOnlySpan<float> samples, long streamSample)
    {
        Assert.False(samples.IsEmpty);
        if (Runs.Count > 0 && Runs[^1].Start + Runs[^1].Samples.Count == streamSample)
        {
            Runs[^1].Samples.AddRange(samples);
        }
        else
        {
            if (Runs.Count > 0) Assert.True(streamSample > Runs[^1].Start + Runs[^1].Samples.Count, "forwarded audio went back in the stream");
            Runs.Add((streamSample, [.. samples]));
            Log.Add(string.Create(CultureInfo.InvariantCulture, $"run from {streamSample}"));
        }
        Forwarded += samples.Length;
    }

    public void OnProbability(long windowStartSample, float probability)
    {
        Assert.Equal(Probabilities.Count * 512L, windowStartSample);
        Probabilities.Add(probability);
    }

    /// <summary>Speech intervals [start, end) from the events (an unended start runs to <paramref name="streamEnd"/>).</summary>
    public List<(long Start, long End)> Segments(long streamEnd)
    {
        var segments = new List<(long, long)>();
        for (int i = 0; i < Starts.Count; i++) segments.Add((Starts[i].StreamSample, i < Ends.Count ? Ends[i].StreamSample : streamEnd));
        return segments;
    }

    /// <summary>Whether stream sample <paramref name="sample"/> was forwarded.</summary>
    public bool WasForwarded(long sample) => Runs.Any(r => sample >= r.Start && sample < r.Start + r.Samples.Count);
}
