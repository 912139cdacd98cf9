namespace WebRtcAsr.Speech.Captions;

/// <summary>
/// Gives each message of one session its session id and the next sequence number, so that seq only grows.
/// One per session; not thread-safe (a session has one owner).
/// </summary>
public sealed class CaptionStamper(string sessionId)
{
    private long next = 1;

    public string SessionId { get; } = sessionId;

    /// <summary>The seq the next message will get.</summary>
    public long NextSeq => next;

    public T Stamp<T>(T message)
        where T : CaptionMessage => message with { SessionId = SessionId, Seq = next++ };
}
