namespace WebRtcAsr.TestSupport;

/// <summary>
/// Short digit strings for end-to-end tests and the latency benchmark: one speaker each (speakers in turn), clips
/// trimmed to their speech (<see cref="SpeechExtent"/>) so each digit's end is where its speech ends, short pauses
/// between digits, no silence before the first digit or after the last (the caller places the strings). Each string
/// is brought to the same peak level (<see cref="PeakLevel"/>), as one person at a steady distance from a microphone:
/// the FSDD speakers were recorded at levels up to 20 dB apart, and a quiet string right after a loud one is a VAD
/// question (src/WebRtcAsr.Speech/Vad/README.md, "A quiet talker after a loud one"), not what these tests are about. Deterministic for a seed.
/// </summary>
public static class SpokenDigitStrings
{
    /// <summary>Every string's peak sample (-6 dBFS).</summary>
    public const float PeakLevel = 0.5f;

    /// <summary><paramref name="count"/> strings of <paramref name="minDigits"/>–<paramref name="maxDigits"/> digits at 8 kHz.</summary>
    public static IReadOnlyList<DigitString> Compose(
        IReadOnlyList<FsddRecording> recordings, Func<FsddRecording, bool> select, int count, int seed,
        int minDigits = 3, int maxDigits = 5, int minPauseMs = 120, int maxPauseMs = 250)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(select);
        var random = new Random(seed);
        var speakers = recordings.Where(select).GroupBy(r => r.Speaker).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, ByDigit: g.GroupBy(r => r.Digit).ToDictionary(d => d.Key, d => d.OrderBy(r => r.Index).ToArray())))
            .ToList();
        if (speakers.Count == 0)
        {
            throw new ArgumentException("no recording passes the selection", nameof(select));
        }

        var strings = new List<DigitString>(count);
        for (var n = 0; n < count; n++)
        {
            var speaker = speakers[n % speakers.Count];
            var length = random.Next(minDigits, maxDigits + 1);
            var samples = new List<float>();
            var ends = new List<double>();
            var digits = new System.Text.StringBuilder();
            while (digits.Length < length)
            {
                var digit = random.Next(0, 10);
                if (!speaker.ByDigit.TryGetValue(digit, out var choices))
                {
                    continue;
                }

                if (digits.Length > 0)
                {
                    samples.AddRange(new float[Fsdd.SampleRate * random.Next(minPauseMs, maxPauseMs + 1) / 1000]);
                }

                samples.AddRange(SpeechExtent.Trim(Fsdd.Load(choices[random.Next(choices.Length)]), Fsdd.SampleRate));
                ends.Add(samples.Count / (double)Fsdd.SampleRate);
                digits.Append((char)('0' + digit));
            }

            var peak = samples.Max(Math.Abs);
            var gain = peak > 0 ? PeakLevel / peak : 1f;
            strings.Add(new DigitString(speaker.Name, digits.ToString(), [.. samples.Select(x => x * gain)], Fsdd.SampleRate, ends));
        }

        return strings;
    }
}
