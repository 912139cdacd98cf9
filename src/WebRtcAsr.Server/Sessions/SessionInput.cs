using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Sessions;

/// <summary>What a session's worker can be asked to do.</summary>
internal enum SessionInputKind
{
    Audio,
    Control,
    Attach,
    Detach,
    Tick,
    Close,
    Message,
}

/// <summary>
/// One item of a session's queue. Audio and control bytes live in buffers rented from the shared pools; the
/// worker returns them after use (or the session does when it drops queued items at its end).
/// </summary>
internal readonly record struct SessionInput(
    SessionInputKind Kind,
    float[]? Samples = null,
    byte[]? Bytes = null,
    int Length = 0,
    long StreamSample = 0,
    long Timestamp = 0,
    ICaptionSink? Sink = null,
    long? LastSeq = null,
    SessionEndReason Reason = SessionEndReason.ClientClosed,
    CaptionMessage? Message = null);
