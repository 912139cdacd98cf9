namespace WebRtcAsr.Media.Codecs;

/// <summary>libopus (libopus.so.0) could not be loaded.</summary>
public sealed class OpusLibraryNotFoundException : Exception
{
    private const string DefaultMessage =
        "The Opus library (libopus.so.0) could not be loaded: install Debian package libopus0 (scripts/bootstrap.sh does).";

    public OpusLibraryNotFoundException()
        : base(DefaultMessage)
    {
    }

    public OpusLibraryNotFoundException(string message)
        : base(message)
    {
    }

    public OpusLibraryNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
