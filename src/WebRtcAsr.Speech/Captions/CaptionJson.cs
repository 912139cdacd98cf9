using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebRtcAsr.Speech.Captions;

/// <summary>Source-generated JSON for the caption protocol (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CaptionMessage))]
internal sealed partial class CaptionJsonContext : JsonSerializerContext;

/// <summary>Writes caption messages as the JSON text sent to clients.</summary>
public static class CaptionJson
{
    /// <summary>Serialises one message as a single line of JSON, "type" first.</summary>
    public static string Serialize(CaptionMessage message) =>
        JsonSerializer.Serialize(message, CaptionJsonContext.Default.CaptionMessage);

    /// <summary>Writes one message into a UTF-8 writer (for data channels and files).</summary>
    public static void Write(Utf8JsonWriter writer, CaptionMessage message) =>
        JsonSerializer.Serialize(writer, message, CaptionJsonContext.Default.CaptionMessage);

    /// <summary>Reads a server message back (clients and tests).</summary>
    public static CaptionMessage? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, CaptionJsonContext.Default.CaptionMessage);
}
