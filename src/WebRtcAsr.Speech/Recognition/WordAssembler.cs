using System.Text;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>Groups tokens into words: a token whose symbol starts with "▁" begins a word.</summary>
internal static class WordAssembler
{
    public static RecognizedWord[] Assemble(TokenTable table, ReadOnlySpan<RecognizedToken> tokens, double offsetSeconds, float frameSeconds)
    {
        var words = new List<RecognizedWord>();
        var text = new StringBuilder();
        var start = 0.0;
        var last = 0.0;
        var probabilitySum = 0f;
        var count = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            var symbol = table.Symbol(t.Id);
            var startsWord = table.StartsWord(t.Id);
            if (startsWord || count == 0)
            {
                Flush();
                start = offsetSeconds + t.Timestamp;
            }

            text.Append(startsWord ? symbol.AsSpan(1) : symbol.AsSpan());
            last = offsetSeconds + t.Timestamp;
            probabilitySum += t.Probability;
            count++;
        }

        Flush();
        return [.. words];

        void Flush()
        {
            if (count > 0 && text.Length > 0)
            {
                words.Add(new RecognizedWord(text.ToString(), start, last + frameSeconds, probabilitySum / count));
            }

            text.Clear();
            probabilitySum = 0;
            count = 0;
        }
    }
}
