using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// A JSON object that is already serialised (a caption message as the session wrote it), written as-is into a
/// SignalR message or an HTTP answer instead of as a string, so the page reads an object.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Json)
{
    /// <summary>Writes the text verbatim; reading is not needed (the server only sends these).</summary>
    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new RawJson(document.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value.Json, skipInputValidation: true);
    }
}
