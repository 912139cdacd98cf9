using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Sessions;

/// <summary>A session's stream options, changed by the client's Configure messages.</summary>
public sealed record SessionSettings
{
    /// <summary>Send interim (is_final=false) Results while the hypothesis grows.</summary>
    public bool InterimResults { get; init; } = true;

    /// <summary>
    /// Silence (ms) after the last decoded word that ends an utterance; when set, it alone decides, with or without
    /// the VAD. Null: the VAD's speech end, or the recognizer's own endpoint rules without a VAD; 0: endpointing off
    /// (only Finalize, CloseStream and the session's end make finals).
    /// </summary>
    public int? EndpointingMs { get; init; }

    /// <summary>UtteranceEnd after this many ms of received audio without words; 0: off.</summary>
    public int UtteranceEndMs { get; init; }

    /// <summary>Send SpeechStarted messages.</summary>
    public bool VadEvents { get; init; }

    /// <summary>Digits as numerals.</summary>
    public bool Numerals { get; init; }

    /// <summary>The settings with what a Configure message names changed.</summary>
    public SessionSettings With(ConfigureRequest configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return this with
        {
            InterimResults = configure.InterimResults ?? InterimResults,
            EndpointingMs = configure.EndpointingMs ?? EndpointingMs,
            UtteranceEndMs = configure.UtteranceEndMs ?? UtteranceEndMs,
            VadEvents = configure.VadEvents ?? VadEvents,
            Numerals = configure.Numerals ?? Numerals,
        };
    }
}
