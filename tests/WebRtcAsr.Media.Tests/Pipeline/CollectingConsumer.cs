using WebRtcAsr.Media.Jitter;
using WebRtcAsr.Media.Pipeline;

namespace WebRtcAsr.Media.Tests.Pipeline;

/// <summary>Places every output block at its stream position (gaps stay zero), as a recognizer's timeline would.</summary>
internal sealed class CollectingConsumer : IAudioFrameConsumer
{
    private float[] _timeline = new float[16_000];

    public int Length { get; private set; }

    public int Frames { get; private set; }

    public int Discontinuities { get; private set; }

    public List<(long StreamSample, int Samples, bool Discontinuity, AudioFrameKind Kind)> Blocks { get; } = new();

    public bool Keep { get; set; } = true;

    public ReadOnlySpan<float> Timeline => _timeline.AsSpan(0, Length);

    public void OnAudio(in AudioFrame frame)
    {
        if (frame.SampleRate != 16_000)
        {
            throw new InvalidOperationException("The pipeline must output 16 kHz.");
        }

        Frames++;
        if (frame.Discontinuity)
        {
            Discontinuities++;
        }

        if (!Keep)
        {
            return;
        }

        Blocks.Add((frame.StreamSample, frame.Samples.Length, frame.Discontinuity, frame.Kind));
        long end = frame.StreamSample + frame.Samples.Length;
        if (end > _timeline.Length)
        {
            Array.Resize(ref _timeline, (int)Math.Max(end, _timeline.Length * 2L));
        }

        frame.Samples.CopyTo(_timeline.AsSpan((int)frame.StreamSample));
        Length = (int)Math.Max(Length, end);
    }
}
