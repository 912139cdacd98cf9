using WebRtcAsr.Speech.Features;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// One caller's audio as the recognizer sees it: the fbank front end, the encoder's cached states, the search
/// state and the frame position. Made by <see cref="OnlineRecognizer.CreateStream"/>. A stream belongs to one
/// session: feed it and decode it from one logical thread at a time (the scheduler's await gives that order).
/// </summary>
public sealed class OnlineStream
{
    internal OnlineStream(OnlineRecognizer owner, OnlineFbank fbank, byte[] states, TransducerSearchState search)
    {
        Owner = owner;
        Fbank = fbank;
        States = states;
        Search = search;
    }

    /// <summary>Whether <see cref="InputFinished"/> was called.</summary>
    public bool IsInputFinished { get; private set; }

    /// <summary>Segments (utterances) ended by <see cref="OnlineRecognizer.Reset"/> that had tokens.</summary>
    public int Segment { get; internal set; }

    /// <summary>Feature frames decoded in the current segment (multiple of the chunk shift).</summary>
    public int ProcessedFrames { get; internal set; }

    /// <summary>Feature frame (10 ms) at which the current segment started.</summary>
    public int SegmentStartFrame { get; internal set; }

    /// <summary>Feature frames available from the start of the current segment.</summary>
    public int FramesReady => Fbank.NumFramesReady - SegmentStartFrame;

    internal OnlineRecognizer Owner { get; }

    internal OnlineFbank Fbank { get; }

    internal byte[] States { get; }

    internal TransducerSearchState Search { get; }

    /// <summary>Makes the stream's results, keeping what did not change since the last one.</summary>
    internal RecognitionResultBuilder Results { get; } = new();

    /// <summary>Slot the inference scheduler keeps its reusable completion source in.</summary>
    internal object? SchedulerSlot { get; set; }

    /// <summary>Appends 16 kHz mono samples in [-1, 1].</summary>
    public void AcceptWaveform(ReadOnlySpan<float> samples)
    {
        if (IsInputFinished)
        {
            throw new InvalidOperationException("the stream's input is finished");
        }

        Fbank.AcceptWaveform(samples);
    }

    /// <summary>Says no more audio will come: the front end flushes its last frames.</summary>
    public void InputFinished()
    {
        if (!IsInputFinished)
        {
            IsInputFinished = true;
            Fbank.InputFinished();
        }
    }
}
