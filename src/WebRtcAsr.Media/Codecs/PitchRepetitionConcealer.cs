namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// Packet-loss concealment for narrow-band (8 kHz) waveform codecs in the manner of
/// ITU-T G.711 Appendix I: repeat the last pitch period of the good signal, attenuate it by 20 %
/// per 10 ms after the first 10 ms (silence after 60 ms), and cross-fade back into the first good
/// frame. It keeps timing: every lost sample is replaced by exactly one synthetic sample.
/// </summary>
/// <remarks>
/// Differences from Appendix I, chosen for zero added latency: Appendix I delays the output by
/// 3.75 ms so it can overlap-add into the end of the last good frame; here the synthetic signal
/// starts directly after it (a smooth joint when the signal is periodic at the found pitch) and
/// a single pitch period is repeated, its loop joint smoothed by a quarter-period cross-fade
/// with the period before it.
/// </remarks>
internal sealed class PitchRepetitionConcealer
{
    private const int MinPitch = 40;          // 5 ms at 8 kHz (200 Hz)
    private const int MaxPitch = 120;         // 15 ms (66.7 Hz)
    private const int CorrelationLength = 160; // 20 ms of signal compared with its shifted copy
    private const int HistoryLength = 2 * MaxPitch + CorrelationLength; // enough for search and loop
    private const int FullGainSamples = 80;   // first 10 ms at full level
    private const int FadeSamples = 400;      // then to silence over 50 ms (20 % per 10 ms)
    private const int MaxRecoveryFade = 80;   // cross-fade into good audio at most 10 ms

    private readonly float[] _history = new float[HistoryLength];
    private readonly float[] _loop = new float[MaxPitch];
    private int _historyCount;
    private int _pitch;
    private int _loopPosition;
    private int _lostSamples; // samples synthesised in the current erasure; 0 when none

    /// <summary>Forgets all history (a new stream).</summary>
    public void Reset()
    {
        _historyCount = 0;
        _lostSamples = 0;
        _loopPosition = 0;
        _pitch = 0;
    }

    /// <summary>
    /// Takes in a decoded good frame: after an erasure its start is cross-faded (in place) from the
    /// continuing synthetic signal into the real one; then the frame joins the history.
    /// </summary>
    public void AcceptGoodFrame(Span<float> frame)
    {
        if (_lostSamples > 0)
        {
            // 4 ms plus 4 ms per further 10 ms of erasure, as Appendix I, capped at 10 ms.
            int fade = Math.Min(Math.Min(32 + (32 * ((_lostSamples - 1) / 80)), MaxRecoveryFade), frame.Length);
            for (int i = 0; i < fade; i++)
            {
                float synthetic = NextSynthetic();
                float weight = (i + 1) / (float)(fade + 1);
                frame[i] = (weight * frame[i]) + ((1 - weight) * synthetic);
            }
            _lostSamples = 0;
        }
        Append(frame);
    }

    /// <summary>Fills <paramref name="output"/> with concealment for lost samples.</summary>
    public void Conceal(Span<float> output)
    {
        if (_lostSamples == 0)
        {
            if (_historyCount < HistoryLength)
            {
                // Not enough signal to find a pitch (stream start): silence keeps timing.
                output.Clear();
                Append(output);
                return;
            }
            StartErasure();
        }
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = NextSynthetic();
        }
        Append(output);
    }

    private void StartErasure()
    {
        ReadOnlySpan<float> h = _history;
        _pitch = FindPitch(h);
        int end = h.Length;
        int quarter = _pitch / 4;
        for (int i = 0; i < _pitch; i++)
        {
            float value = h[end - _pitch + i];
            int intoFade = i - (_pitch - quarter);
            if (intoFade >= 0)
            {
                // Fade towards the period before, whose last sample leads smoothly into loop[0].
                float weight = (intoFade + 1) / (float)(quarter + 1);
                value = ((1 - weight) * value) + (weight * h[end - (2 * _pitch) + i]);
            }
            _loop[i] = value;
        }
        _loopPosition = 0;
    }

    private float NextSynthetic()
    {
        float gain = _lostSamples < FullGainSamples
            ? 1f
            : Math.Max(0f, 1f - ((_lostSamples - FullGainSamples) / (float)FadeSamples));
        float value = _loop[_loopPosition] * gain;
        _loopPosition = _loopPosition + 1 == _pitch ? 0 : _loopPosition + 1;
        _lostSamples++;
        return value;
    }

    // Lag with the largest normalised cross-correlation between the last 20 ms and the signal
    // one lag earlier.
    private static int FindPitch(ReadOnlySpan<float> h)
    {
        ReadOnlySpan<float> recent = h[^CorrelationLength..];
        int best = MinPitch;
        double bestScore = double.NegativeInfinity;
        for (int lag = MinPitch; lag <= MaxPitch; lag++)
        {
            ReadOnlySpan<float> earlier = h.Slice(h.Length - CorrelationLength - lag, CorrelationLength);
            double cross = 0, energy = 1e-9;
            for (int i = 0; i < CorrelationLength; i++)
            {
                cross += recent[i] * earlier[i];
                energy += earlier[i] * earlier[i];
            }
            double score = cross / Math.Sqrt(energy);
            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }
        return best;
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (samples.Length >= HistoryLength)
        {
            samples[^HistoryLength..].CopyTo(_history);
        }
        else
        {
            Array.Copy(_history, samples.Length, _history, 0, HistoryLength - samples.Length);
            samples.CopyTo(_history.AsSpan(HistoryLength - samples.Length));
        }
        _historyCount = Math.Min(HistoryLength, _historyCount + samples.Length);
    }
}
