namespace WebRtcAsr.Media.Tests.Impairment;

/// <summary>
/// Two-state (Gilbert–Elliott) bursty loss: in the Good state nothing is lost, in the Bad state
/// everything is. Transition probabilities follow from the average loss rate and mean burst
/// length: r = 1/burst (Bad → Good), p = loss·r/(1 − loss) (Good → Bad). Burst length 1 is
/// independent (Bernoulli) loss.
/// </summary>
internal sealed class GilbertElliottLoss
{
    private readonly Random _random;
    private readonly double _goodToBad;
    private readonly double _badToGood;
    private bool _bad;

    public GilbertElliottLoss(double lossRate, double meanBurst, Random random)
    {
        _random = random;
        _badToGood = 1 / Math.Max(1, meanBurst);
        _goodToBad = lossRate <= 0 ? 0 : lossRate * _badToGood / (1 - lossRate);
    }

    public bool NextLost()
    {
        _bad = _bad ? _random.NextDouble() >= _badToGood : _random.NextDouble() < _goodToBad;
        return _bad;
    }
}
