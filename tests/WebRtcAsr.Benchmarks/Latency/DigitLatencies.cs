using WebRtcAsr.Interop.Tests.WebRtc;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Benchmarks.Latency;

/// <summary>One spoken digit: from the capture of its speech end to the first message showing it, and to its final (ms).</summary>
/// <param name="String">Which string of the script.</param>
/// <param name="Index">Which digit of the string.</param>
/// <param name="FirstMs">To the first message showing it; null if none did.</param>
/// <param name="FinalMs">To the final holding it; null if none did.</param>
/// <param name="EndsUtterance">Its final is a speech_final (an endpoint) that ends with it: the endpointing delay applies to it alone.</param>
internal sealed record DigitLatency(int String, int Index, double? FirstMs, double? FinalMs, bool EndsUtterance);

/// <summary>A run's digits, the strings left out (their finals were not exactly the digits spoken), and the alignment check.</summary>
/// <param name="Digits">Every digit of the strings measured.</param>
/// <param name="LeftOut">The strings left out, and what was heard instead.</param>
/// <param name="AlignmentErrorMs">
/// Largest disagreement between where the strings start in the script and where the capture found them (relative to
/// the first): the capture's sample clock against the script, which also shows any lost chunk.
/// </param>
internal sealed record LatencyRun(IReadOnlyList<DigitLatency> Digits, IReadOnlyList<string> LeftOut, double AlignmentErrorMs);

/// <summary>
/// Turns what the page saw into per-digit latencies. Audio time to page time: the k-th onset the page's tap found
/// in the captured track is the k-th string's first sound in the script (the script's silences are exact zeros, so
/// the onset is found to within Chromium's resampling, under 0.1 ms); a digit's speech end is that onset plus its
/// offset in the script, in captured samples; <see cref="CaptureClock"/> gives the page time by which that sample
/// had been captured. Messages count for string k between the capture of its onset and of the next string's.
/// A digit's first appearance is the first message whose digits (finals before it in the string, then its own)
/// hold the spoken digits up to and including it.
/// </summary>
internal static class DigitLatencies
{
    public static LatencyRun Measure(MicrophoneScript script, PageObservation seen)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(seen);
        var clock = seen.Clock ?? throw new InvalidOperationException("the page's tap captured nothing");
        var rate = seen.SampleRate;
        var count = Math.Min(script.Strings.Count, seen.Onsets.Count);
        var firstSound = script.Strings.Select(s => script.FirstSoundAfter(s.Start)!.Value).ToList();
        var alignment = Enumerable.Range(0, count)
            .Select(k => Math.Abs(((seen.Onsets[k] - seen.Onsets[0]) / (double)rate) - (firstSound[k] - firstSound[0])) * 1000)
            .DefaultIfEmpty(0).Max();

        var results = seen.Received.Where(m => m.IsResults).OrderBy(m => m.TimeMs).ToList();
        var digits = new List<DigitLatency>();
        var leftOut = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var placed = script.Strings[k];
            var spoken = placed.Digits;
            var from = clock.CaptureTimeMs(seen.Onsets[k]);
            var to = k + 1 < seen.Onsets.Count ? clock.CaptureTimeMs(seen.Onsets[k + 1]) : double.PositiveInfinity;
            var messages = results.Where(m => m.TimeMs >= from && m.TimeMs < to).ToList();
            var finalDigits = string.Concat(messages.Where(m => m.IsFinal).Select(m => m.Digits));
            if (finalDigits != spoken)
            {
                leftOut.Add($"{spoken} heard as {(finalDigits.Length > 0 ? finalDigits : "nothing")}");
                continue;
            }

            var first = new double?[spoken.Length];
            var final = new double?[spoken.Length];
            var endsUtterance = new bool[spoken.Length];
            var settled = "";
            foreach (var m in messages)
            {
                var shown = settled + m.Digits;
                for (var i = 0; i < Math.Min(shown.Length, spoken.Length) && shown[i] == spoken[i]; i++)
                {
                    first[i] ??= m.TimeMs;
                }

                if (m.IsFinal)
                {
                    settled += m.Digits;
                    for (var i = 0; i < Math.Min(settled.Length, spoken.Length); i++)
                    {
                        final[i] ??= m.TimeMs;
                    }

                    if (m.Is("speech_final") && m.Digits.Length > 0 && settled.Length <= spoken.Length)
                    {
                        endsUtterance[settled.Length - 1] = true;
                    }
                }
            }

            for (var i = 0; i < spoken.Length; i++)
            {
                var end = clock.CaptureTimeMs(seen.Onsets[k] + ((placed.DigitEnds[i] - firstSound[k]) * rate));
                digits.Add(new DigitLatency(k, i, first[i] - end, final[i] - end, endsUtterance[i]));
            }
        }

        return new LatencyRun(digits, leftOut, alignment);
    }
}
