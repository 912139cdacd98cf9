using WebRtcAsr.Speech.Recognition;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class WordAssemblerTests
{
    [Fact]
    public void WordStartsAtBoundaryTokensAndCarriesStreamTimesAndMeanConfidence()
    {
        Assert.True(TokenTable.TryParse("<blk> 0\n▁HE 1\nLLO 2\n▁WORLD 3\n▁ 4\nS 5\n", out var table, out var error), error);
        RecognizedToken[] tokens =
        [
            new(1, " HE", 0.40f, 0.9f),
            new(2, "LLO", 0.48f, 0.7f),
            new(3, " WORLD", 0.80f, 1.0f),
            new(4, " ", 1.20f, 0.5f),
            new(5, "S", 1.24f, 0.5f),
        ];
        var words = WordAssembler.Assemble(table, tokens, offsetSeconds: 10.0, frameSeconds: 0.04f);
        Assert.Equal(["HELLO", "WORLD", "S"], words.Select(w => w.Word));
        Assert.Equal(10.40, words[0].Start, 5);
        Assert.Equal(10.52, words[0].End, 5);
        Assert.Equal(0.8f, words[0].Confidence, 5);
        Assert.Equal(11.20, words[2].Start, 5);
    }
}
