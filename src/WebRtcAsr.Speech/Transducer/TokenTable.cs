using System.Globalization;
using System.Text;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// The model's tokens.txt: one "symbol id" pair per line. SentencePiece marks a word start with "▁" (U+2581);
/// like sherpa-onnx, the displayed form of such a token has the mark replaced by a space.
/// </summary>
public sealed class TokenTable
{
    /// <summary>The SentencePiece word-boundary mark.</summary>
    public const char WordBoundary = '\u2581';

    private readonly string[] symbols;
    private readonly string[] display;

    private TokenTable(string[] symbols)
    {
        this.symbols = symbols;
        display = new string[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            var s = symbols[i];
            display[i] = s.Length > 0 && s[0] == WordBoundary ? " " + s[1..] : s;
            if (s == "<unk>")
            {
                UnknownId = i;
            }
        }
    }

    /// <summary>Number of ids (largest id + 1).</summary>
    public int Count => symbols.Length;

    /// <summary>The id of "&lt;unk&gt;", or -1 when the table has none; sherpa-onnx treats it like blank.</summary>
    public int UnknownId { get; } = -1;

    /// <summary>The symbol as written in tokens.txt.</summary>
    public string Symbol(int id) => symbols[id];

    /// <summary>The symbol as sherpa-onnx reports it: a leading "▁" becomes a space.</summary>
    public string DisplaySymbol(int id) => display[id];

    /// <summary>Whether the token starts a new word (its symbol begins with "▁").</summary>
    public bool StartsWord(int id) => symbols[id].Length > 0 && symbols[id][0] == WordBoundary;

    /// <summary>Reads tokens.txt; throws <see cref="TransducerModelException"/> naming the file and line on any problem.</summary>
    public static TokenTable Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new TransducerModelException(path, "tokens file not found");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException ex)
        {
            throw new TransducerModelException(path, "cannot read the tokens file: " + ex.Message, ex);
        }

        if (!TryParse(text, out var table, out var error))
        {
            throw new TransducerModelException(path, error);
        }

        return table;
    }

    /// <summary>Parses tokens.txt text. Bad input gives false and a reason, never an exception.</summary>
    public static bool TryParse(string text, out TokenTable table, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        table = null!;
        var byId = new Dictionary<int, string>();
        var maxId = -1;
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            // The id is the last field; the symbol is what precedes it. A line holding only an id is
            // the space symbol (some character vocabularies have one).
            var trimmed = line.TrimEnd();
            var split = trimmed.LastIndexOfAny([' ', '\t']);
            var idText = split < 0 ? trimmed : trimmed[(split + 1)..];
            var symbol = split < 0 ? " " : trimmed[..split].TrimEnd(' ', '\t');
            if (symbol.Length == 0)
            {
                symbol = " ";
            }

            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                error = $"line {lineNumber}: expected \"symbol id\", got \"{Truncate(line)}\"";
                return false;
            }

            if (id > 10_000_000)
            {
                error = $"line {lineNumber}: id {id} is implausibly large";
                return false;
            }

            if (!byId.TryAdd(id, symbol))
            {
                error = $"line {lineNumber}: id {id} appears twice";
                return false;
            }

            maxId = Math.Max(maxId, id);
        }

        if (maxId < 0)
        {
            error = "the tokens file is empty";
            return false;
        }

        var symbols = new string[maxId + 1];
        for (var i = 0; i <= maxId; i++)
        {
            if (!byId.TryGetValue(i, out var s))
            {
                error = $"id {i} is missing (ids must run from 0 to {maxId})";
                return false;
            }

            symbols[i] = s;
        }

        table = new TokenTable(symbols);
        error = string.Empty;
        return true;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
