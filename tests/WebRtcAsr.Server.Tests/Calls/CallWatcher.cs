using System.Text.Json;
using WebRtcAsr.Server.Tests.Signaling;

namespace WebRtcAsr.Server.Tests.Calls;

/// <summary>
/// A viewer of one call over the signaling hub, as web/calls.js does it: WatchCall's history first, then the live
/// "Caption" messages, each kept once by seq; done when "CallEnded" arrives.
/// </summary>
internal sealed class CallWatcher(SignalRJsonClient hub)
{
    private readonly SortedDictionary<long, JsonElement> bySeq = [];

    /// <summary>Messages pushed live that were already in the history or seen before (dropped by seq).</summary>
    public int Duplicates { get; private set; }

    public int HistoryCount { get; private set; }

    public JsonElement? Ended { get; private set; }

    /// <summary>Every message once, in seq order.</summary>
    public IReadOnlyList<JsonElement> Messages => [.. bySeq.Values];

    public async Task WatchAsync(string callId)
    {
        var answer = await hub.InvokeAsync("WatchCall", callId);
        Assert.Equal(callId, answer.GetProperty("call").GetProperty("call_id").GetString());
        foreach (var message in answer.GetProperty("messages").EnumerateArray())
        {
            HistoryCount++;
            Keep(message);
        }
    }

    /// <summary>Reads pushed messages until the call's end is announced.</summary>
    public async Task UntilEndedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (Ended is null)
            {
                var (target, arguments) = await hub.Invocations.ReadAsync(cancel.Token);
                if (target == "Caption")
                {
                    Keep(arguments[0]);
                }
                else if (target == "CallEnded")
                {
                    Ended = arguments[0];
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the call's end was not pushed within {timeout}; got {bySeq.Count} messages: {Describe()}");
        }
    }

    /// <summary>The final transcripts joined, as the page shows the settled text.</summary>
    public string FinalText() => string.Join(' ', Messages
        .Where(m => m.GetProperty("type").GetString() == "Results" && m.GetProperty("is_final").GetBoolean())
        .Select(m => m.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString())
        .Where(t => !string.IsNullOrEmpty(t)));

    public IReadOnlyList<string> Dtmf() => [.. Messages.Where(m => m.GetProperty("type").GetString() == "Dtmf").Select(m => m.GetProperty("digit").GetString()!)];

    public string Describe() => string.Join(", ", Messages.Select(m => $"{m.GetProperty("seq").GetInt64()}:{m.GetProperty("type").GetString()}"));

    private void Keep(JsonElement message)
    {
        if (!bySeq.TryAdd(message.GetProperty("seq").GetInt64(), message.Clone()))
        {
            Duplicates++;
        }
    }
}
