namespace WebRtcAsr.Speech.Captions;

/// <summary>A control message from a caption client.</summary>
public abstract record ClientMessage;

/// <summary>Keeps an idle stream open.</summary>
public sealed record KeepAliveRequest : ClientMessage;

/// <summary>Flush: decode everything received so far and send it as final (from_finalize).</summary>
public sealed record FinalizeRequest : ClientMessage;

/// <summary>Flush everything, send the last results and Metadata, then close the stream.</summary>
public sealed record CloseStreamRequest : ClientMessage;

/// <summary>
/// Changes stream options. Each property is null when the message did not set it, so a
/// Configure changes only what it names.
/// </summary>
public sealed record ConfigureRequest : ClientMessage
{
    public bool? InterimResults { get; init; }

    /// <summary>Trailing silence, ms, that ends an utterance; 0 turns endpointing off ("endpointing": false).</summary>
    public int? EndpointingMs { get; init; }

    /// <summary>Send UtteranceEnd after this many ms without words; 0 turns it off.</summary>
    public int? UtteranceEndMs { get; init; }

    public bool? VadEvents { get; init; }

    public bool? Numerals { get; init; }

    public string? Model { get; init; }
}
