using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Archive;

[Collection(SpeechCollection.Name)]
public sealed class JsonlTranscriptArchiveTests(SpeechFixture speech) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "webrtcasr-archive-" + Guid.NewGuid().ToString("N"));
    private readonly ServerMetrics metrics = new();

    [Fact]
    public async Task Writes_one_line_per_final_into_the_file_of_the_day_and_syncs_per_session()
    {
        var archive = new JsonlTranscriptArchive(folder, 16, metrics, NullLogger<JsonlTranscriptArchive>.Instance);
        var day1 = new DateTimeOffset(2026, 5, 1, 23, 59, 59, TimeSpan.Zero);
        var day2 = day1.AddSeconds(2);
        Assert.True(archive.TryEnqueue(new ArchivedSession("s1", "key-a", day1.AddMinutes(-1), day1, "ClientClosed", [Final("s1", 3, "one two"), Final("s1", 7, "three")])));
        Assert.True(archive.TryEnqueue(new ArchivedSession("s2", null, day1, day2, "IdleTimeout", [Final("s2", 2, "four")])));
        await archive.DisposeAsync();

        Assert.Equal(2, archive.Syncs);
        Assert.Equal(3, metrics.ArchiveWritten.Value);
        var first = File.ReadAllLines(archive.FileFor(day1));
        Assert.Equal(Path.Combine(folder, "2026-05-01.jsonl"), archive.FileFor(day1));
        Assert.Equal(2, first.Length);
        using (var line = JsonDocument.Parse(first[0]))
        {
            var root = line.RootElement;
            Assert.Equal("s1", root.GetProperty("session_id").GetString());
            Assert.Equal("key-a", root.GetProperty("key_id").GetString());
            Assert.Equal("ClientClosed", root.GetProperty("end_reason").GetString());
            Assert.Equal(day1, root.GetProperty("ended").GetDateTimeOffset());
            var result = root.GetProperty("result");
            Assert.Equal("Results", result.GetProperty("type").GetString());
            Assert.Equal(3, result.GetProperty("seq").GetInt64());
            Assert.Equal("one two", result.GetProperty("channel").GetProperty("alternatives")[0].GetProperty("transcript").GetString());
        }

        var second = File.ReadAllLines(archive.FileFor(day2));
        Assert.Single(second);
        using var other = JsonDocument.Parse(second[0]);
        Assert.Equal(JsonValueKind.Null, other.RootElement.GetProperty("key_id").ValueKind);
    }

    [Fact]
    public async Task Appends_to_an_existing_days_file()
    {
        var when = new DateTimeOffset(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);
        for (var round = 0; round < 2; round++)
        {
            var archive = new JsonlTranscriptArchive(folder, 4, metrics, NullLogger<JsonlTranscriptArchive>.Instance);
            archive.TryEnqueue(new ArchivedSession("s" + round, "k", when, when, "ClientClosed", [Final("s" + round, 1, "x")]));
            await archive.DisposeAsync();
        }

        var lines = File.ReadAllLines(Path.Combine(folder, "2026-06-02.jsonl"));
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task An_ended_session_archives_its_finals()
    {
        var archive = new JsonlTranscriptArchive(folder, 4, metrics, NullLogger<JsonlTranscriptArchive>.Instance);
        var clock = new ManualTimeProvider();
        var session = new CaptionSession("s-archived", "k1", speech.Services(vad: false, time: clock, archive: archive), new SessionLimits(), new SessionSettings { EndpointingMs = 0 });
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, SpeechAudio.Load("digits-8-yweweler.wav"));
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;
        await archive.DisposeAsync();

        var lines = File.ReadAllLines(archive.FileFor(clock.GetUtcNow()));
        var finals = sink.Messages.Finals().ToList();
        Assert.Equal(finals.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(finals[i].Seq, doc.RootElement.GetProperty("result").GetProperty("seq").GetInt64());
            Assert.Equal("k1", doc.RootElement.GetProperty("key_id").GetString());
        }
    }

    [Fact]
    public async Task A_full_queue_refuses_and_counts()
    {
        var archive = new JsonlTranscriptArchive(folder, 1, metrics, NullLogger<JsonlTranscriptArchive>.Instance);
        var when = DateTimeOffset.UnixEpoch;
        var accepted = 0;
        for (var i = 0; i < 200; i++)
        {
            accepted += archive.TryEnqueue(new ArchivedSession("s", "k", when, when, "ClientClosed", [Final("s", 1, "x")])) ? 1 : 0;
        }

        await archive.DisposeAsync();
        Assert.Equal(200 - accepted, metrics.ArchiveDropped.Value);
        Assert.Equal(accepted, File.ReadAllLines(archive.FileFor(when)).Length);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Final(string session, long seq, string text) => CaptionJson.Serialize(new ResultsMessage
    {
        SessionId = session,
        Seq = seq,
        IsFinal = true,
        Channel = new ResultChannel { Alternatives = [new ResultAlternative { Transcript = text }] },
    });
}
