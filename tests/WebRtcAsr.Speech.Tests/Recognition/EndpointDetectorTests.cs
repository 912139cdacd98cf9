using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class EndpointDetectorTests
{
    private static readonly EndpointOptions Defaults = new();

    [Theory]
    [InlineData(236, 236, 0)] // only silence, 2.36 s
    [InlineData(240, 240, 0)] // 240 × 0.01f is just below 2.4f in single precision, as in sherpa-onnx
    [InlineData(244, 244, 1)] // rule 1: 2.44 s of silence with nothing decoded
    [InlineData(400, 116, 0)] // speech then 1.16 s
    [InlineData(400, 124, 2)] // rule 2: speech then 1.24 s
    [InlineData(1996, 0, 0)]
    [InlineData(2000, 0, 3)]  // rule 3: 20 s utterance
    [InlineData(3000, 248, 1)] // rule 1 wins when several fire
    public void SherpaRulesOnSyntheticFrameCounts(int decodedFrames, int trailingSilenceFrames, int expectedRule)
    {
        Assert.Equal(expectedRule, EndpointDetector.FiredRule(Defaults, decodedFrames, trailingSilenceFrames));
    }

    [Fact]
    public void RulesAreConfigurableAndCanBeDisabled()
    {
        var options = new EndpointOptions { Rule2 = new EndpointRule(true, 500, 0) };
        Assert.Equal(2, EndpointDetector.FiredRule(options, 300, 52));
        Assert.Equal(0, EndpointDetector.FiredRule(options with { Enabled = false }, 3000, 3000));
    }
}
