namespace WebRtcAsr.Sip.Messages;

/// <summary>What the parser made of some bytes.</summary>
public enum SipParseStatus
{
    /// <summary>A complete, valid message.</summary>
    Message,

    /// <summary>Only CRLFs (a keep-alive, RFC 5626 §3.5.1).</summary>
    KeepAlive,

    /// <summary>Stream framing: more bytes are needed.</summary>
    Incomplete,

    /// <summary>Malformed; <see cref="SipParseResult.Error"/> says why.</summary>
    Invalid,
}

/// <summary>
/// The outcome of parsing: a message or a reason. For an invalid message whose start line and header fields
/// could still be split, <see cref="Message"/> holds them so that a 400 response can be formed.
/// </summary>
public readonly record struct SipParseResult(SipParseStatus Status, SipMessage? Message, string? Error, int Consumed, int ErrorStatus = 400)
{
    public bool IsMessage => Status == SipParseStatus.Message;

    /// <summary>An invalid message; <paramref name="status"/> is the response a UAS should send when it can (400, 413, 505).</summary>
    public static SipParseResult Invalid(string error, SipMessage? partial = null, int consumed = 0, int status = 400) => new(SipParseStatus.Invalid, partial, error, consumed, status);
}
