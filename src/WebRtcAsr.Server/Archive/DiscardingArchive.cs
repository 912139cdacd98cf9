namespace WebRtcAsr.Server.Archive;

/// <summary>The archive when it is disabled: keeps nothing.</summary>
public sealed class DiscardingArchive : ITranscriptArchive
{
    public bool TryEnqueue(ArchivedSession session) => true;
}
