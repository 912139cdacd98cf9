using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Support;

/// <summary>Checks on received caption messages.</summary>
internal static class Captions
{
    /// <summary>Every message carries the session id and seq runs 1, 2, 3... with nothing missing or repeated.</summary>
    public static void AssertCompleteSequence(IReadOnlyList<CaptionMessage> messages, string sessionId)
    {
        Assert.NotEmpty(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(sessionId, messages[i].SessionId);
            Assert.Equal(i + 1, messages[i].Seq);
        }
    }

    public static IEnumerable<ResultsMessage> Finals(this IEnumerable<CaptionMessage> messages) =>
        messages.OfType<ResultsMessage>().Where(r => r.IsFinal);

    public static string Transcript(this ResultsMessage r) => r.Channel.Alternatives[0].Transcript;

    /// <summary>The finals' transcripts joined: what a caption client shows at the end.</summary>
    public static string FinalText(this IEnumerable<CaptionMessage> messages) =>
        string.Join(" ", messages.Finals().Select(Transcript).Where(t => t.Length > 0));
}
