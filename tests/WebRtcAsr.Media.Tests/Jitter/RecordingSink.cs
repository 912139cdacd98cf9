using WebRtcAsr.Media.Jitter;

namespace WebRtcAsr.Media.Tests.Jitter;

/// <summary>Keeps a summary of every block a jitter buffer releases.</summary>
internal sealed class RecordingSink : IAudioFrameSink
{
    public readonly record struct Block(long Timestamp, long Sequence, AudioFrameKind Kind, int Samples, float Value,
        bool Discontinuity, bool Marker, uint Ssrc);

    public List<Block> Blocks { get; } = new();

    public bool Record { get; set; } = true;

    public long TotalSamples { get; private set; }

    public void OnFrame(in DecodedAudio frame)
    {
        TotalSamples += frame.Samples.Length;
        if (Record)
        {
            Blocks.Add(new Block(frame.Timestamp, frame.SequenceNumber, frame.Kind, frame.Samples.Length,
                frame.Samples[0], frame.Discontinuity, frame.Marker, frame.Ssrc));
        }
    }
}
