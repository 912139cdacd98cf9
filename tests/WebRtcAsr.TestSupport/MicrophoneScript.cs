using WebRtcAsr.Media.Audio;

namespace WebRtcAsr.TestSupport;

/// <summary>One digit string as placed in a <see cref="MicrophoneScript"/>: times in seconds from the start of the WAV.</summary>
/// <param name="Source">The string (its own sample rate and digit ends).</param>
/// <param name="Start">Where its first sample is.</param>
/// <param name="DigitEnds">Where each digit's speech ends.</param>
public sealed record PlacedDigitString(DigitString Source, double Start, IReadOnlyList<double> DigitEnds)
{
    public string Digits => Source.Digits;

    /// <summary>Where its last digit's speech ends.</summary>
    public double End => DigitEnds[^1];
}

/// <summary>
/// What a fake microphone says and when: digit strings placed on a timeline of exact digital silence, at 48 kHz
/// (Chromium's <c>--use-file-for-fake-audio-capture</c> plays it from the start when a capture starts, and loops it).
/// Because the silences are exact zeros, the first sample of each string is found again in what the browser captured
/// (<see cref="FirstSoundAfter"/>), which ties the script's timeline to the page's clock.
/// </summary>
public sealed class MicrophoneScript
{
    public const int SampleRate = 48000;

    /// <summary>A sample louder than this (about -60 dBFS) is sound; the page's tap uses the same threshold.</summary>
    public const float SoundThreshold = 1e-3f;

    private MicrophoneScript(float[] samples, IReadOnlyList<PlacedDigitString> strings)
    {
        Samples = samples;
        Strings = strings;
    }

    public float[] Samples { get; }

    public IReadOnlyList<PlacedDigitString> Strings { get; }

    public double DurationSeconds => Samples.Length / (double)SampleRate;

    /// <summary>
    /// <paramref name="leadSeconds"/> of silence (the time a page needs to connect while the capture already runs),
    /// then each string followed by <paramref name="gapSeconds"/> of silence, then <paramref name="tailSeconds"/> more.
    /// </summary>
    public static MicrophoneScript Compose(IEnumerable<DigitString> strings, double leadSeconds, double gapSeconds, double tailSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var samples = new List<float>(new float[(int)(leadSeconds * SampleRate)]);
        var placed = new List<PlacedDigitString>();
        foreach (var source in strings)
        {
            var audio = DigitStrings.Resample(source, SampleRate);
            var start = samples.Count / (double)SampleRate;
            placed.Add(new PlacedDigitString(source, start, [.. source.DigitEnds.Select(e => start + e)]));
            samples.AddRange(audio.Samples);
            samples.AddRange(new float[(int)(gapSeconds * SampleRate)]);
        }

        samples.AddRange(new float[(int)(tailSeconds * SampleRate)]);
        return new MicrophoneScript([.. samples], placed);
    }

    /// <summary>The first sample at or after <paramref name="seconds"/> louder than <see cref="SoundThreshold"/>, in seconds; null if none.</summary>
    public double? FirstSoundAfter(double seconds)
    {
        for (var i = Math.Max(0, (int)(seconds * SampleRate)); i < Samples.Length; i++)
        {
            if (Math.Abs(Samples[i]) > SoundThreshold)
            {
                return i / (double)SampleRate;
            }
        }

        return null;
    }

    /// <summary>Writes the script as a 16-bit mono WAV file.</summary>
    public void Write(string path) => WavFile.Write(path, Samples, SampleRate);
}
