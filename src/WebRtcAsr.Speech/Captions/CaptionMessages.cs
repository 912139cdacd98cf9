using System.Text.Json.Serialization;

namespace WebRtcAsr.Speech.Captions;

/// <summary>
/// A message from the server to a caption client. The schema mirrors Deepgram's live-streaming
/// messages so that client code written for it reads ours unchanged; our additions are a
/// per-session <see cref="Seq"/> that only grows and the <see cref="SessionId"/>, so a client can
/// drop duplicates and resume after a reconnect.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ResultsMessage), "Results")]
[JsonDerivedType(typeof(SpeechStartedMessage), "SpeechStarted")]
[JsonDerivedType(typeof(UtteranceEndMessage), "UtteranceEnd")]
[JsonDerivedType(typeof(MetadataMessage), "Metadata")]
[JsonDerivedType(typeof(WarningMessage), "Warning")]
[JsonDerivedType(typeof(ErrorMessage), "Error")]
[JsonDerivedType(typeof(DtmfMessage), "Dtmf")]
public abstract record CaptionMessage
{
    [JsonPropertyName("session_id")]
    public string SessionId { get; init; } = "";

    [JsonPropertyName("seq")]
    public long Seq { get; init; }
}

/// <summary>An interim or final transcript of a span of the stream.</summary>
public sealed record ResultsMessage : CaptionMessage
{
    [JsonPropertyName("channel_index")]
    public int[] ChannelIndex { get; init; } = [0, 1];

    /// <summary>Seconds of audio this result covers.</summary>
    [JsonPropertyName("duration")]
    public double Duration { get; init; }

    /// <summary>Stream time, in seconds, where the covered span starts.</summary>
    [JsonPropertyName("start")]
    public double Start { get; init; }

    /// <summary>The text of this span will not change any more.</summary>
    [JsonPropertyName("is_final")]
    public bool IsFinal { get; init; }

    /// <summary>The speaker paused (an endpoint was detected): the utterance ended.</summary>
    [JsonPropertyName("speech_final")]
    public bool SpeechFinal { get; init; }

    /// <summary>This final result was flushed by a Finalize (or CloseStream) request.</summary>
    [JsonPropertyName("from_finalize")]
    public bool FromFinalize { get; init; }

    [JsonPropertyName("channel")]
    public ResultChannel Channel { get; init; } = new();

    [JsonPropertyName("metadata")]
    public ResultMetadata Metadata { get; init; } = new();
}

public sealed record ResultChannel
{
    [JsonPropertyName("alternatives")]
    public IReadOnlyList<ResultAlternative> Alternatives { get; init; } = [];
}

public sealed record ResultAlternative
{
    [JsonPropertyName("transcript")]
    public string Transcript { get; init; } = "";

    /// <summary>Mean of the word confidences (0 when there are no words).</summary>
    [JsonPropertyName("confidence")]
    public double Confidence { get; init; }

    [JsonPropertyName("words")]
    public IReadOnlyList<ResultWord> Words { get; init; } = [];
}

public sealed record ResultWord
{
    [JsonPropertyName("word")]
    public string Word { get; init; } = "";

    /// <summary>Stream time of the word's start, seconds.</summary>
    [JsonPropertyName("start")]
    public double Start { get; init; }

    /// <summary>Stream time of the word's end, seconds.</summary>
    [JsonPropertyName("end")]
    public double End { get; init; }

    [JsonPropertyName("confidence")]
    public double Confidence { get; init; }

    /// <summary>The word as displayed (with the numerals option, a digit).</summary>
    [JsonPropertyName("punctuated_word")]
    public string PunctuatedWord { get; init; } = "";
}

public sealed record ResultMetadata
{
    [JsonPropertyName("request_id")]
    public string RequestId { get; init; } = "";

    [JsonPropertyName("model_info")]
    public ModelInfo ModelInfo { get; init; } = new();

    [JsonPropertyName("model_uuid")]
    public string ModelUuid { get; init; } = "";
}

public sealed record ModelInfo
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    [JsonPropertyName("arch")]
    public string Arch { get; init; } = "";
}

/// <summary>Voice activity began (sent when the client asked for vad_events).</summary>
public sealed record SpeechStartedMessage : CaptionMessage
{
    [JsonPropertyName("channel")]
    public int[] Channel { get; init; } = [0];

    /// <summary>Stream time, seconds, where speech was detected.</summary>
    [JsonPropertyName("timestamp")]
    public double Timestamp { get; init; }
}

/// <summary>No word was heard for utterance_end_ms after the last one.</summary>
public sealed record UtteranceEndMessage : CaptionMessage
{
    [JsonPropertyName("channel")]
    public int[] Channel { get; init; } = [0, 1];

    [JsonPropertyName("last_word_end")]
    public double LastWordEnd { get; init; }
}

/// <summary>A summary of the stream, sent when it closes.</summary>
public sealed record MetadataMessage : CaptionMessage
{
    [JsonPropertyName("request_id")]
    public string RequestId { get; init; } = "";

    [JsonPropertyName("created")]
    public DateTimeOffset Created { get; init; }

    /// <summary>Seconds of audio received.</summary>
    [JsonPropertyName("duration")]
    public double Duration { get; init; }

    [JsonPropertyName("channels")]
    public int Channels { get; init; } = 1;

    [JsonPropertyName("models")]
    public IReadOnlyList<string> Models { get; init; } = [];

    [JsonPropertyName("model_info")]
    public IReadOnlyDictionary<string, ModelInfo> ModelInfo { get; init; } = new Dictionary<string, ModelInfo>();
}

/// <summary>Something the client should know, the stream goes on (for example overload).</summary>
public sealed record WarningMessage : CaptionMessage
{
    [JsonPropertyName("code")]
    public string Code { get; init; } = "";

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";
}

/// <summary>A request was refused or something failed; says what and why in plain words.</summary>
public sealed record ErrorMessage : CaptionMessage
{
    [JsonPropertyName("code")]
    public string Code { get; init; } = "";

    [JsonPropertyName("description")]
    public string Description { get; init; } = "";
}

/// <summary>A DTMF digit pressed on a phone call (RFC 4733 telephone-event).</summary>
public sealed record DtmfMessage : CaptionMessage
{
    [JsonPropertyName("digit")]
    public string Digit { get; init; } = "";

    /// <summary>Stream time, seconds, where the key press started.</summary>
    [JsonPropertyName("start")]
    public double Start { get; init; }

    [JsonPropertyName("duration")]
    public double Duration { get; init; }
}
