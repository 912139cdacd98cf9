using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Archive;

/// <summary>
/// Appends each ended session's final results to a JSONL file per UTC day (folder/yyyy-MM-dd.jsonl): one line per
/// final Results message, wrapped with the key id and the session's times. One writer task drains a bounded
/// queue; after each session the file is flushed to the operating system and to the disk (fsync), so an archived
/// session survives a crash.
/// </summary>
public sealed class JsonlTranscriptArchive : ITranscriptArchive, IAsyncDisposable
{
    private readonly string folder;
    private readonly Channel<ArchivedSession> queue;
    private readonly ServerMetrics metrics;
    private readonly ILogger logger;
    private readonly Task writer;
    private FileStream? file;
    private string? fileDay;
    private long syncs;

    public JsonlTranscriptArchive(string folder, int queueCapacity, ServerMetrics metrics, ILogger<JsonlTranscriptArchive> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        this.folder = Path.GetFullPath(folder);
        this.metrics = metrics;
        this.logger = logger;
        queue = Channel.CreateBounded<ArchivedSession>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        writer = Task.Run(WriteAllAsync);
    }

    /// <summary>The archive folder (absolute).</summary>
    public string Folder => folder;

    /// <summary>Times a file was flushed to disk (one per archived session).</summary>
    public long Syncs => Interlocked.Read(ref syncs);

    /// <summary>The file of a UTC day.</summary>
    public string FileFor(DateTimeOffset when) => Path.Combine(folder, when.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");

    public bool TryEnqueue(ArchivedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (queue.Writer.TryWrite(session))
        {
            return true;
        }

        metrics.ArchiveDropped.Add();
        logger.LogWarning("Archive queue full: session {SessionId} not archived", session.SessionId);
        return false;
    }

    /// <summary>Writes what is queued, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer.ConfigureAwait(false);
    }

    /// <summary>One archive line: the final Results message inside an envelope naming the key and session times.</summary>
    internal static string Line(ArchivedSession session, string resultJson)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("session_id", session.SessionId);
            if (session.KeyId is null)
            {
                json.WriteNull("key_id");
            }
            else
            {
                json.WriteString("key_id", session.KeyId);
            }

            json.WriteString("created", session.Created);
            json.WriteString("ended", session.Ended);
            json.WriteString("end_reason", session.EndReason);
            if (session.Call is { } call)
            {
                json.WriteString("call_id", call.CallId);
                json.WriteString("from", call.From);
                json.WriteString("to", call.To);
            }

            json.WritePropertyName("result");
            json.WriteRawValue(resultJson, skipInputValidation: true);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task WriteAllAsync()
    {
        try
        {
            await foreach (var session in queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    Write(session);
                }
                catch (IOException ex)
                {
                    metrics.ArchiveDropped.Add();
                    logger.LogError(ex, "Archiving session {SessionId} failed", session.SessionId);
                    CloseFile();
                }
                catch (UnauthorizedAccessException ex)
                {
                    metrics.ArchiveDropped.Add();
                    logger.LogError(ex, "Archiving session {SessionId} failed", session.SessionId);
                    CloseFile();
                }
            }
        }
        finally
        {
            CloseFile();
        }
    }

    private void Write(ArchivedSession session)
    {
        var day = session.Ended.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (file is null || fileDay != day)
        {
            CloseFile();
            Directory.CreateDirectory(folder);
            file = new FileStream(FileFor(session.Ended), FileMode.Append, FileAccess.Write, FileShare.Read, 16384);
            fileDay = day;
        }

        foreach (var result in session.FinalResults)
        {
            var bytes = Encoding.UTF8.GetBytes(Line(session, result) + "\n");
            file.Write(bytes);
        }

        file.Flush(flushToDisk: true);
        Interlocked.Increment(ref syncs);
        metrics.ArchiveWritten.Add(session.FinalResults.Count);
    }

    private void CloseFile()
    {
        file?.Dispose();
        file = null;
        fileDay = null;
    }
}
