using System.Net;
using System.Text.Json.Serialization;
using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// One SIP call bound to its caption session: the call's 16 kHz audio and its key presses (on the call's media
/// owner task, in stream order) go into the session, whose messages go to the call's <see cref="CallCaptionSink"/>.
/// </summary>
public sealed class ActiveCall : ICallDtmfConsumer
{
    private volatile string state = CallStates.Ringing;
    private volatile string? codec;

    public ActiveCall(CallIdentity identity, CaptionSession session, CallCaptionSink sink, DateTimeOffset started, IPEndPoint source)
    {
        Identity = identity;
        Session = session;
        Sink = sink;
        Started = started;
        Source = source;
    }

    public CallIdentity Identity { get; }

    public string CallId => Identity.CallId;

    public CaptionSession Session { get; }

    public CallCaptionSink Sink { get; }

    public DateTimeOffset Started { get; }

    /// <summary>Where the INVITE came from (the trunk).</summary>
    public IPEndPoint Source { get; }

    /// <summary>One of <see cref="CallStates"/>.</summary>
    public string State
    {
        get => state;
        set => state = value;
    }

    /// <summary>The audio codec the caller sends (PCMU, PCMA, opus); null until the call starts.</summary>
    public string? Codec
    {
        get => codec;
        set => codec = value;
    }

    /// <summary>The call's RTP port was bound, so its media will report CallMediaClosed when it ends (host loop only).</summary>
    internal bool MediaOpened { get; set; }

    /// <summary>The call ended on the SIP side; its session closes once the media has flushed (host loop only).</summary>
    internal bool Ended { get; set; }

    /// <summary>Why the SIP call ended, kept until the media has closed (host loop only).</summary>
    internal string? EndReason { get; set; }

    public void OnAudio(in AudioFrame frame) => Session.OnAudio(frame);

    public void OnDtmf(CallDtmf dtmf)
    {
        ArgumentNullException.ThrowIfNull(dtmf);
        Session.TryWriteEvent(new DtmfMessage
        {
            Digit = dtmf.Key.ToString(),
            Start = Math.Round(dtmf.StreamTime.TotalSeconds, 3),
            Duration = Math.Round(dtmf.Duration.TotalSeconds, 3),
        });
    }

    /// <summary>What GET /v1/calls lists.</summary>
    public CallSummary Summary() => new(CallId, Identity.From, Identity.To, Started, Codec, State, Session.Id);
}

/// <summary>A call as GET /v1/calls lists it.</summary>
public sealed record CallSummary(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("started")] DateTimeOffset Started,
    [property: JsonPropertyName("codec")] string? Codec,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("session_id")] string SessionId);

/// <summary>The states a listed call can be in.</summary>
public static class CallStates
{
    /// <summary>Offered, answered, not yet acknowledged.</summary>
    public const string Ringing = "ringing";

    /// <summary>Media flows.</summary>
    public const string Active = "active";

    /// <summary>The caller put the call on hold (sendonly/inactive).</summary>
    public const string OnHold = "on_hold";

    /// <summary>Hung up; its last words are being flushed.</summary>
    public const string Ending = "ending";
}
