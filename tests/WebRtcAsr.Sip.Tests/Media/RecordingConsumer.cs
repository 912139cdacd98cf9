using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Sip.Media;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// What the server's caption session would get for a call: its 16 kHz audio placed at its stream position (gaps
/// stay silent) and its key presses. Written on the call's owner task; read once <see cref="CallMediaClosed"/> was seen.
/// </summary>
internal sealed class RecordingConsumer : ICallDtmfConsumer
{
    private const int MaxSamples = 16_000 * 60;
    private float[] _samples = new float[16_000 * 8];

    public int Length { get; private set; }

    public int Frames { get; private set; }

    public List<CallDtmf> Dtmf { get; } = [];

    public ReadOnlySpan<float> Samples => _samples.AsSpan(0, Length);

    public void OnAudio(in AudioFrame frame)
    {
        Frames++;
        long end = frame.StreamSample + frame.Samples.Length;
        if (frame.SampleRate != 16_000 || frame.StreamSample < 0 || end > MaxSamples)
        {
            throw new InvalidOperationException($"unexpected frame: {frame.SampleRate} Hz at {frame.StreamSample}");
        }

        if (end > _samples.Length)
        {
            Array.Resize(ref _samples, (int)Math.Max(end, _samples.Length * 2L));
        }

        frame.Samples.CopyTo(_samples.AsSpan((int)frame.StreamSample));
        Length = (int)Math.Max(Length, end);
    }

    public void OnDtmf(CallDtmf dtmf) => Dtmf.Add(dtmf);
}
