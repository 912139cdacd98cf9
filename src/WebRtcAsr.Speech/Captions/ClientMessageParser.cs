using System.Text.Json;

namespace WebRtcAsr.Speech.Captions;

/// <summary>
/// Reads and validates client control messages. Every problem (not JSON, unknown type, unknown
/// field, bad value) comes back as a reason the server sends in an Error message; the stream goes on.
/// </summary>
public static class ClientMessageParser
{
    /// <summary>Largest control message accepted, in bytes.</summary>
    public const int MaxMessageBytes = 4096;

    /// <summary>Limits on option values, in milliseconds.</summary>
    public const int MaxEndpointingMs = 60_000;

    public const int MinUtteranceEndMs = 1000;

    public const int MaxUtteranceEndMs = 60_000;

    public static bool TryParse(ReadOnlySpan<byte> utf8, out ClientMessage? message, out string? error)
    {
        message = null;
        if (utf8.Length > MaxMessageBytes)
        {
            error = $"message is {utf8.Length} bytes; control messages are at most {MaxMessageBytes}";
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            return TryRead(document.RootElement, out message, out error);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON: {ex.Message}";
            return false;
        }
    }

    private static bool TryRead(JsonElement root, out ClientMessage? message, out string? error)
    {
        message = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "a control message is a JSON object with a \"type\"";
            return false;
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            error = "missing \"type\" (one of KeepAlive, Finalize, CloseStream, Configure)";
            return false;
        }

        switch (type.GetString())
        {
            case "KeepAlive":
                return OnlyType(root, new KeepAliveRequest(), out message, out error);
            case "Finalize":
                return OnlyType(root, new FinalizeRequest(), out message, out error);
            case "CloseStream":
                return OnlyType(root, new CloseStreamRequest(), out message, out error);
            case "Configure":
                return TryReadConfigure(root, out message, out error);
            default:
                error = $"unknown message type \"{type.GetString()}\" (expected KeepAlive, Finalize, CloseStream or Configure)";
                return false;
        }
    }

    private static bool OnlyType(JsonElement root, ClientMessage parsed, out ClientMessage? message, out string? error)
    {
        message = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name != "type")
            {
                error = $"{root.GetProperty("type").GetString()} takes no fields; unknown field \"{property.Name}\"";
                return false;
            }
        }

        message = parsed;
        error = null;
        return true;
    }

    private static bool TryReadConfigure(JsonElement root, out ClientMessage? message, out string? error)
    {
        message = null;
        var configure = new ConfigureRequest();
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type":
                    continue;
                case "interim_results":
                    if (!TryBool(value, property.Name, out var interim, out error))
                    {
                        return false;
                    }

                    configure = configure with { InterimResults = interim };
                    break;
                case "vad_events":
                    if (!TryBool(value, property.Name, out var vad, out error))
                    {
                        return false;
                    }

                    configure = configure with { VadEvents = vad };
                    break;
                case "numerals":
                    if (!TryBool(value, property.Name, out var numerals, out error))
                    {
                        return false;
                    }

                    configure = configure with { Numerals = numerals };
                    break;
                case "endpointing":
                    // As Deepgram: a number of milliseconds, or false to turn endpointing off.
                    if (value.ValueKind == JsonValueKind.False)
                    {
                        configure = configure with { EndpointingMs = 0 };
                        break;
                    }

                    if (!TryMilliseconds(value, property.Name, 10, MaxEndpointingMs, out var endpointing, out error))
                    {
                        return false;
                    }

                    configure = configure with { EndpointingMs = endpointing };
                    break;
                case "utterance_end_ms":
                    if (!TryMilliseconds(value, property.Name, MinUtteranceEndMs, MaxUtteranceEndMs, out var utteranceEnd, out error))
                    {
                        return false;
                    }

                    configure = configure with { UtteranceEndMs = utteranceEnd };
                    break;
                case "model":
                    if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Length > 200)
                    {
                        error = "\"model\" must be a model name (a non-empty string of at most 200 characters)";
                        return false;
                    }

                    configure = configure with { Model = value.GetString() };
                    break;
                default:
                    error = $"Configure: unknown field \"{property.Name}\" (known: interim_results, endpointing, utterance_end_ms, vad_events, numerals, model)";
                    return false;
            }
        }

        message = configure;
        error = null;
        return true;
    }

    private static bool TryBool(JsonElement value, string name, out bool result, out string? error)
    {
        result = value.ValueKind == JsonValueKind.True;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            error = null;
            return true;
        }

        error = $"\"{name}\" must be true or false";
        return false;
    }

    private static bool TryMilliseconds(JsonElement value, string name, int min, int max, out int result, out string? error)
    {
        result = 0;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out result) || result < min || result > max)
        {
            error = $"\"{name}\" must be a whole number of milliseconds from {min} to {max}";
            return false;
        }

        error = null;
        return true;
    }
}
