using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// Groups tokens into words: a token whose symbol starts with "▁" begins a word. Assembling into a list that holds
/// the previous result's words keeps every word that came out the same (same instance, no new string), so a
/// growing hypothesis makes a new <see cref="RecognizedWord"/> only for the word its new tokens touch.
/// </summary>
internal static class WordAssembler
{
    public static RecognizedWord[] Assemble(TokenTable table, ReadOnlySpan<RecognizedToken> tokens, double offsetSeconds, float frameSeconds)
    {
        var words = new PublishedPrefixList<RecognizedWord>(8);
        var scratch = new char[16];
        AssembleInto(words, ref scratch, table, tokens, offsetSeconds, frameSeconds);
        return [.. words.Publish()];
    }

    /// <summary>
    /// Makes <paramref name="words"/> the words of <paramref name="tokens"/>, keeping the entries that are already
    /// right. <paramref name="scratch"/> holds a word's characters while it is compared (grown when too small).
    /// </summary>
    public static void AssembleInto(
        PublishedPrefixList<RecognizedWord> words,
        ref char[] scratch,
        TokenTable table,
        ReadOnlySpan<RecognizedToken> tokens,
        double offsetSeconds,
        float frameSeconds)
    {
        var count = 0;
        var length = 0;
        var start = 0.0;
        var last = 0.0;
        var probabilitySum = 0f;
        var tokensInWord = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            var startsWord = table.StartsWord(t.Id);
            if (startsWord || tokensInWord == 0)
            {
                Flush(words, ref scratch);
                start = offsetSeconds + t.Timestamp;
            }

            var symbol = table.Symbol(t.Id).AsSpan(startsWord ? 1 : 0);
            if (length + symbol.Length > scratch.Length)
            {
                Array.Resize(ref scratch, Math.Max(scratch.Length * 2, length + symbol.Length));
            }

            symbol.CopyTo(scratch.AsSpan(length));
            length += symbol.Length;
            last = offsetSeconds + t.Timestamp;
            probabilitySum += t.Probability;
            tokensInWord++;
        }

        Flush(words, ref scratch);
        words.Truncate(count);

        void Flush(PublishedPrefixList<RecognizedWord> words, ref char[] scratch)
        {
            if (tokensInWord > 0 && length > 0)
            {
                var text = scratch.AsSpan(0, length);
                var end = last + frameSeconds;
                var confidence = probabilitySum / tokensInWord;
                var kept = count < words.Count && words[count] is { } w
                    && w.Start == start && w.End == end && w.Confidence == confidence && text.SequenceEqual(w.Word);
                if (!kept)
                {
                    words.Truncate(count);
                    words.Add(new RecognizedWord(text.ToString(), start, end, confidence));
                }

                count++;
            }

            length = 0;
            probabilitySum = 0;
            tokensInWord = 0;
        }
    }
}
