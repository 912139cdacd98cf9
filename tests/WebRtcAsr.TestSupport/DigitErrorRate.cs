namespace WebRtcAsr.TestSupport;

/// <summary>
/// Digit error rate: the edit distance (substitutions, insertions, deletions) between the digits said and
/// the digits recognized, per string, summed, over the number of digits said.
/// </summary>
public sealed class DigitErrorRate
{
    public int Errors { get; private set; }

    public int Digits { get; private set; }

    public int Strings { get; private set; }

    public int StringsWrong { get; private set; }

    public double Rate => Digits == 0 ? 0 : Errors / (double)Digits;

    public void Add(string said, string recognized)
    {
        ArgumentNullException.ThrowIfNull(said);
        ArgumentNullException.ThrowIfNull(recognized);
        var errors = EditDistance(said, recognized);
        Errors += errors;
        Digits += said.Length;
        Strings++;
        StringsWrong += errors > 0 ? 1 : 0;
    }

    /// <summary>Adds another tally into this one.</summary>
    public void Merge(DigitErrorRate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Errors += other.Errors;
        Digits += other.Digits;
        Strings += other.Strings;
        StringsWrong += other.StringsWrong;
    }

    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The digits in a transcript: digit words and numerals, in order ("four one 52" → "4152").</summary>
    public static string DigitsOf(string transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var digits = new System.Text.StringBuilder();
        foreach (var word in transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var digit = word.ToUpperInvariant() switch
            {
                "ZERO" or "OH" => '0',
                "ONE" => '1',
                "TWO" => '2',
                "THREE" => '3',
                "FOUR" => '4',
                "FIVE" => '5',
                "SIX" => '6',
                "SEVEN" => '7',
                "EIGHT" => '8',
                "NINE" => '9',
                _ => '\0',
            };
            if (digit != '\0')
            {
                digits.Append(digit);
            }
            else
            {
                digits.Append(word.Where(char.IsAsciiDigit).ToArray());
            }
        }

        return digits.ToString();
    }
}
