namespace WebRtcAsr.Media.Codecs;

/// <summary>
/// Packet-loss concealment for narrow-band (8 kHz) waveform codecs in the manner of
/// ITU-T G.711 Appendix I: repeat the last pitch period of the good signal, widening to the last
/// two periods after 10 ms and three after 20 ms (less buzz on long losses), attenuate by 20 % per
/// 10 ms after the first 10 ms (silence from 60 ms), and cross-fade back into the first good
/// frame. It keeps timing: every lost sample is replaced by exactly one synthetic sample.
/// </summary>
/// <remarks>
/// Difference from Appendix I, chosen for zero added latency: Appendix I delays the output by
/// 3.75 ms so it can overlap-add into the end of the last good frame; here the synthetic signal
/// starts directly after it (a smooth joint when the signal is periodic at the found pitch). Each
/// repeated loop's joint is smoothed by a quarter-period cross-fade with the period before it, and
/// widening the loop cross-fades over a quarter period too.
/// </remarks>
internal sealed class PitchRepetitionConcealer
{
    private const int MinPitch = 40;           // 5 ms at 8 kHz (200 Hz)
    private const int MaxPitch = 120;          // 15 ms (66.7 Hz)
    private const int CorrelationLength = 160; // 20 ms of signal compared with its shifted copy
    private const int MaxPeriods = 3;
    private const int HistoryLength = (MaxPeriods + 1) * MaxPitch; // loop periods plus the one before
    private const int SamplesPerStep = 80;     // 10 ms: widening and attenuation steps
    private const int FadeSamples = 400;       // after the first 10 ms, to silence over 50 ms
    private const int MaxRecoveryFade = 80;    // cross-fade into good audio at most 10 ms

    private readonly float[] _history = new float[HistoryLength];
    private readonly float[] _pitchBuffer = new float[HistoryLength]; // history frozen at erasure start
    private float[] _loop = new float[MaxPeriods * MaxPitch];
    private float[] _previousLoop = new float[MaxPeriods * MaxPitch];
    private int _historyCount;
    private int _pitch;
    private int _periods;
    private int _loopLength;
    private int _loopPosition;
    private int _previousLength;
    private int _previousPosition;
    private int _wideningFade;     // length of the current widening cross-fade
    private int _wideningLeft;     // samples of it still to go
    private int _lostSamples;      // samples synthesised in the current erasure; 0 when none

    /// <summary>Forgets all history (a new stream).</summary>
    public void Reset()
    {
        _historyCount = 0;
        _lostSamples = 0;
        _wideningLeft = 0;
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
            int fade = Math.Min(Math.Min(32 + (32 * ((_lostSamples - 1) / SamplesPerStep)), MaxRecoveryFade), frame.Length);
            for (int i = 0; i < fade; i++)
            {
                float synthetic = NextSynthetic();
                float weight = (i + 1) / (float)(fade + 1);
                frame[i] = (weight * frame[i]) + ((1 - weight) * synthetic);
            }
            _lostSamples = 0;
            _wideningLeft = 0;
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
        _history.CopyTo(_pitchBuffer, 0);
        _pitch = FindPitch(_pitchBuffer);
        _periods = 1;
        _loopLength = BuildLoop(_loop, _periods);
        _loopPosition = 0;
        _wideningLeft = 0;
    }

    // The last `periods` pitch periods of the frozen history, their loop joint smoothed.
    private int BuildLoop(float[] loop, int periods)
    {
        ReadOnlySpan<float> h = _pitchBuffer;
        int length = periods * _pitch;
        int start = h.Length - length;
        int quarter = _pitch / 4;
        for (int i = 0; i < length; i++)
        {
            float value = h[start + i];
            int intoFade = i - (length - quarter);
            if (intoFade >= 0)
            {
                // Towards the period before the loop, whose last sample leads smoothly into loop[0].
                float weight = (intoFade + 1) / (float)(quarter + 1);
                value = ((1 - weight) * value) + (weight * h[start - _pitch + i]);
            }
            loop[i] = value;
        }
        return length;
    }

    private void Widen()
    {
        (_loop, _previousLoop) = (_previousLoop, _loop);
        _previousLength = _loopLength;
        _previousPosition = _loopPosition;
        _periods++;
        _loopLength = BuildLoop(_loop, _periods);
        // Same phase within the pitch cycle, now starting from the oldest period of the wider loop.
        _loopPosition = _previousPosition % _pitch;
        _wideningFade = _wideningLeft = Math.Max(1, _pitch / 4);
    }

    private float NextSynthetic()
    {
        if (_periods < MaxPeriods && _lostSamples == _periods * SamplesPerStep)
        {
            Widen();
        }
        float value = _loop[_loopPosition];
        _loopPosition = _loopPosition + 1 == _loopLength ? 0 : _loopPosition + 1;
        if (_wideningLeft > 0)
        {
            float weight = (_wideningFade - _wideningLeft + 1) / (float)(_wideningFade + 1);
            value = (weight * value) + ((1 - weight) * _previousLoop[_previousPosition]);
            _previousPosition = _previousPosition + 1 == _previousLength ? 0 : _previousPosition + 1;
            _wideningLeft--;
        }
        float gain = _lostSamples < SamplesPerStep
            ? 1f
            : Math.Max(0f, 1f - ((_lostSamples - SamplesPerStep) / (float)FadeSamples));
        _lostSamples++;
        return value * gain;
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
