using System.Text;
using System.Text.Json;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Speech.Tests.Captions;

public sealed class CaptionProtocolTests
{
    [Fact]
    public void Results_serialise_in_deepgrams_shape_with_type_first_and_our_seq_and_session_id()
    {
        var message = new ResultsMessage
        {
            SessionId = "s-1",
            Seq = 7,
            Start = 1.25,
            Duration = 0.5,
            IsFinal = true,
            SpeechFinal = true,
            Channel = new ResultChannel
            {
                Alternatives =
                [
                    new ResultAlternative
                    {
                        Transcript = "four one",
                        Confidence = 0.9,
                        Words =
                        [
                            new ResultWord { Word = "four", Start = 1.3, End = 1.5, Confidence = 0.95, PunctuatedWord = "four" },
                            new ResultWord { Word = "one", Start = 1.55, End = 1.7, Confidence = 0.85, PunctuatedWord = "one" },
                        ],
                    },
                ],
            },
        };

        var json = CaptionJson.Serialize(message);

        Assert.StartsWith("{\"type\":\"Results\"", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(7, root.GetProperty("seq").GetInt64());
        Assert.Equal("s-1", root.GetProperty("session_id").GetString());
        Assert.True(root.GetProperty("is_final").GetBoolean());
        Assert.True(root.GetProperty("speech_final").GetBoolean());
        Assert.False(root.GetProperty("from_finalize").GetBoolean());
        var alternative = root.GetProperty("channel").GetProperty("alternatives")[0];
        Assert.Equal("four one", alternative.GetProperty("transcript").GetString());
        Assert.Equal(1.55, alternative.GetProperty("words")[1].GetProperty("start").GetDouble());
        Assert.Equal(json, CaptionJson.Serialize(CaptionJson.Deserialize(json)!));
    }

    [Fact]
    public void Every_server_message_type_round_trips()
    {
        CaptionMessage[] messages =
        [
            new SpeechStartedMessage { Seq = 1, SessionId = "a", Timestamp = 0.32 },
            new UtteranceEndMessage { Seq = 2, SessionId = "a", LastWordEnd = 3.1 },
            new WarningMessage { Seq = 3, SessionId = "a", Code = "overload", Description = "recognition is behind" },
            new ErrorMessage { Seq = 4, SessionId = "a", Code = "bad_message", Description = "unknown type" },
            new DtmfMessage { Seq = 5, SessionId = "a", Digit = "5", Start = 2, Duration = 0.1 },
        ];

        foreach (var message in messages)
        {
            var json = CaptionJson.Serialize(message);
            var back = CaptionJson.Deserialize(json);
            Assert.Equal(message.GetType(), back!.GetType());
            Assert.Equal(json, CaptionJson.Serialize(back));
        }
    }

    [Theory]
    [InlineData("four one five two", "4152")]
    [InlineData("call oh nine one one now", "call 0911 now")]
    [InlineData("", "")]
    [InlineData("hello", "hello")]
    [InlineData("seven hello eight", "7 hello 8")]
    public void Numerals_turn_runs_of_digit_words_into_numbers(string words, string expected) =>
        Assert.Equal(expected, DigitNumerals.Apply(words));

    [Theory]
    [InlineData("""{"type":"KeepAlive"}""", typeof(KeepAliveRequest))]
    [InlineData("""{"type":"Finalize"}""", typeof(FinalizeRequest))]
    [InlineData("""{"type":"CloseStream"}""", typeof(CloseStreamRequest))]
    [InlineData("""{"type":"Configure","interim_results":false,"endpointing":300,"utterance_end_ms":1000,"vad_events":true,"numerals":true,"model":"digits"}""", typeof(ConfigureRequest))]
    public void Valid_client_messages_parse(string json, Type expected)
    {
        Assert.True(ClientMessageParser.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error), error);
        Assert.IsType(expected, message);
    }

    [Fact]
    public void Configure_carries_only_what_it_names_and_endpointing_false_turns_it_off()
    {
        Assert.True(ClientMessageParser.TryParse("""{"type":"Configure","endpointing":false}"""u8, out var message, out _));
        var configure = Assert.IsType<ConfigureRequest>(message);
        Assert.Equal(0, configure.EndpointingMs);
        Assert.Null(configure.InterimResults);
        Assert.Null(configure.Numerals);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "JSON object")]
    [InlineData("""{"kind":"KeepAlive"}""", "missing \"type\"")]
    [InlineData("""{"type":"Pause"}""", "unknown message type \"Pause\"")]
    [InlineData("""{"type":"KeepAlive","x":1}""", "unknown field \"x\"")]
    [InlineData("""{"type":"Configure","punctuate":true}""", "unknown field \"punctuate\"")]
    [InlineData("""{"type":"Configure","endpointing":-5}""", "\"endpointing\" must be")]
    [InlineData("""{"type":"Configure","endpointing":"300"}""", "\"endpointing\" must be")]
    [InlineData("""{"type":"Configure","utterance_end_ms":10}""", "\"utterance_end_ms\" must be")]
    [InlineData("""{"type":"Configure","numerals":"yes"}""", "\"numerals\" must be true or false")]
    [InlineData("""{"type":"Configure","model":""}""", "\"model\" must be")]
    public void Bad_client_messages_give_a_reason(string json, string expected)
    {
        Assert.False(ClientMessageParser.TryParse(Encoding.UTF8.GetBytes(json), out var message, out var error));
        Assert.Null(message);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_message_is_refused_before_parsing()
    {
        var big = Encoding.UTF8.GetBytes("{\"type\":\"KeepAlive\",\"pad\":\"" + new string('x', 5000) + "\"}");
        Assert.False(ClientMessageParser.TryParse(big, out _, out var error));
        Assert.Contains("at most 4096", error, StringComparison.Ordinal);
    }
}
