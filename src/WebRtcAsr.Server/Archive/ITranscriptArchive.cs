namespace WebRtcAsr.Server.Archive;

/// <summary>Takes ended sessions' transcripts for durable storage; never blocks the session that ends.</summary>
public interface ITranscriptArchive
{
    /// <summary>Queues the transcript; false when the queue is full (the transcript is not archived; counted).</summary>
    bool TryEnqueue(ArchivedSession session);
}
