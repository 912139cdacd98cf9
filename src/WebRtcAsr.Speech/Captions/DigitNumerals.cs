namespace WebRtcAsr.Speech.Captions;

/// <summary>
/// The "numerals" option, as Deepgram's: spoken digits become digits, and a run of spoken
/// digits becomes one number ("four one five two" → "4152"), as people write PINs, account
/// and phone numbers.
/// </summary>
public static class DigitNumerals
{
    /// <summary>The digit a word names ("oh" is zero, as in phone numbers), or null.</summary>
    public static char? DigitOf(string word) => word.ToUpperInvariant() switch
    {
        "ZERO" or "OH" or "O" => '0',
        "ONE" => '1',
        "TWO" => '2',
        "THREE" => '3',
        "FOUR" => '4',
        "FIVE" => '5',
        "SIX" => '6',
        "SEVEN" => '7',
        "EIGHT" => '8',
        "NINE" => '9',
        _ => null,
    };

    /// <summary>Rewrites a transcript: each run of digit words becomes one numeral.</summary>
    public static string Apply(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var output = new List<string>(words.Length);
        var run = new System.Text.StringBuilder();
        foreach (var word in words)
        {
            if (DigitOf(word) is { } digit)
            {
                run.Append(digit);
                continue;
            }

            if (run.Length > 0)
            {
                output.Add(run.ToString());
                run.Clear();
            }

            output.Add(word);
        }

        if (run.Length > 0)
        {
            output.Add(run.ToString());
        }

        return string.Join(' ', output);
    }
}
