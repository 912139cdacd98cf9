using WebRtcAsr.Media.Resampling;

namespace WebRtcAsr.TestSupport;

/// <summary>A spoken digit string made of one speaker's recordings, with where each digit is.</summary>
/// <param name="Speaker">FSDD speaker.</param>
/// <param name="Digits">The digits said, e.g. "4152".</param>
/// <param name="Samples">Mono audio at <paramref name="SampleRate"/>.</param>
/// <param name="SampleRate">Rate of <paramref name="Samples"/>.</param>
/// <param name="DigitEnds">Seconds from the start at which each digit's recording ends.</param>
public sealed record DigitString(string Speaker, string Digits, float[] Samples, int SampleRate, IReadOnlyList<double> DigitEnds)
{
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}

/// <summary>
/// Builds digit strings from FSDD recordings deterministically (a seed gives the same strings on every
/// machine): one speaker per string, 1 to 16 digits, pauses of random length between digits.
/// </summary>
public static class DigitStrings
{
    /// <summary>
    /// <paramref name="count"/> strings per speaker from the recordings that pass <paramref name="select"/>
    /// (usually the held-out test part), at 8 kHz as recorded, and their 16 kHz versions on request.
    /// </summary>
    public static IReadOnlyList<DigitString> Compose(
        IReadOnlyList<FsddRecording> recordings, Func<FsddRecording, bool> select, int count, int seed, int maxDigits = 16)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var random = new Random(seed);
        var bySpeaker = recordings.Where(select).GroupBy(r => r.Speaker).OrderBy(g => g.Key, StringComparer.Ordinal);
        var strings = new List<DigitString>();
        var cache = new Dictionary<string, float[]>();
        foreach (var speaker in bySpeaker)
        {
            var byDigit = speaker.GroupBy(r => r.Digit).ToDictionary(g => g.Key, g => g.ToArray());
            for (var n = 0; n < count; n++)
            {
                var length = random.Next(1, maxDigits + 1);
                var samples = new List<float>();
                var ends = new List<double>();
                var digits = new System.Text.StringBuilder();
                AddSilence(samples, random.Next(100, 600));
                for (var i = 0; i < length; i++)
                {
                    var digit = random.Next(0, 10);
                    if (!byDigit.TryGetValue(digit, out var choices))
                    {
                        continue;
                    }

                    if (i > 0)
                    {
                        AddSilence(samples, random.NextDouble() < 0.85 ? random.Next(30, 400) : random.Next(400, 1500));
                    }

                    var recording = choices[random.Next(choices.Length)];
                    if (!cache.TryGetValue(recording.Path, out var clip))
                    {
                        clip = cache[recording.Path] = Fsdd.Load(recording);
                    }

                    samples.AddRange(clip);
                    ends.Add(samples.Count / (double)Fsdd.SampleRate);
                    digits.Append((char)('0' + digit));
                }

                AddSilence(samples, random.Next(300, 800));
                strings.Add(new DigitString(speaker.Key, digits.ToString(), samples.ToArray(), Fsdd.SampleRate, ends));
            }
        }

        return strings;
    }

    /// <summary>The same string resampled (e.g. to 16 kHz), delay-compensated so digit times still hold.</summary>
    public static DigitString Resample(DigitString source, int rate)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (rate == source.SampleRate)
        {
            return source;
        }

        var resampler = new Resampler(source.SampleRate, rate);
        var output = new float[resampler.MaxOutputLength(source.Samples.Length) + resampler.MaxFlushLength];
        var n = resampler.Process(source.Samples, output);
        n += resampler.Flush(output.AsSpan(n));
        var skip = Math.Min(resampler.LatencySamples, n);
        return source with { Samples = output.AsSpan(skip, n - skip).ToArray(), SampleRate = rate };
    }

    private static void AddSilence(List<float> samples, int milliseconds) =>
        samples.AddRange(new float[Fsdd.SampleRate * milliseconds / 1000]);
}
