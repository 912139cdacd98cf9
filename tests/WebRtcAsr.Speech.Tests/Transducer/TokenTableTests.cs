using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class TokenTableTests
{
    [Fact]
    public void ParsesSymbolsIdsAndWordBoundaries()
    {
        Assert.True(TokenTable.TryParse("<blk> 0\n<sos/eos> 1\n<unk> 2\n▁THE 3\nS 4\n▁ 5\n", out var table, out var error), error);
        Assert.Equal(6, table.Count);
        Assert.Equal(2, table.UnknownId);
        Assert.Equal("▁THE", table.Symbol(3));
        Assert.Equal(" THE", table.DisplaySymbol(3));
        Assert.Equal(" ", table.DisplaySymbol(5));
        Assert.True(table.StartsWord(3));
        Assert.False(table.StartsWord(4));
    }

    [Fact]
    public void AcceptsCrlfTabsAndALineWithOnlyAnId()
    {
        Assert.True(TokenTable.TryParse("<blk>\t0\r\na 1\r\n 2\r\n", out var table, out var error), error);
        Assert.Equal(3, table.Count);
        Assert.Equal(" ", table.Symbol(2));
        Assert.Equal(-1, table.UnknownId);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<blk> 0\na x\n", "line 2")]
    [InlineData("<blk> 0\na 0\n", "appears twice")]
    [InlineData("<blk> 0\na 2\n", "id 1 is missing")]
    [InlineData("<blk> -1\n", "line 1")]
    public void RejectsMalformedFilesWithAReason(string text, string reason)
    {
        Assert.False(TokenTable.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNamesTheMissingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "tokens.txt");
        var ex = Assert.Throws<TransducerModelException>(() => TokenTable.Load(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }
}
