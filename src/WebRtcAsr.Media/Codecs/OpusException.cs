namespace WebRtcAsr.Media.Codecs;

/// <summary>A libopus call failed where failure is a programming or setup error (creating a codec, encoding).</summary>
public sealed class OpusException : Exception
{
    public OpusException()
    {
    }

    public OpusException(string message)
        : base(message)
    {
    }

    public OpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OpusException(string operation, int error)
        : base($"{operation} failed: {OpusNative.ErrorText(error)} ({error})")
    {
        ErrorCode = error;
    }

    /// <summary>libopus error code (negative), 0 when not from libopus.</summary>
    public int ErrorCode { get; }
}
