namespace WebRtcAsr.Speech.Vad;

/// <summary>The Silero VAD model file could not be found; the message lists where it looked and what to run.</summary>
public sealed class SileroVadModelNotFoundException : FileNotFoundException
{
    public SileroVadModelNotFoundException()
    {
    }

    public SileroVadModelNotFoundException(string message)
        : base(message)
    {
    }

    public SileroVadModelNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
