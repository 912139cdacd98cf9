using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// Where a session's caption messages go: a WebRTC data channel, a SignalR group. Called on the session's
/// worker, in seq order; must not block (queue the text and return).
/// </summary>
public interface ICaptionSink
{
    /// <summary>Sends one message (<paramref name="json"/> is its serialised text); false when the transport is gone, which detaches the sink.</summary>
    bool TrySend(CaptionMessage message, string json);
}
