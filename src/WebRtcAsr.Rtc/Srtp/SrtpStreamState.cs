namespace WebRtcAsr.Rtc.Srtp;

/// <summary>Per-SSRC cryptographic state: rollover counter, highest sequence number, replay windows, SRTCP index.</summary>
internal sealed class SrtpStreamState
{
    public SrtpStreamState(int replayWindowSize)
    {
        RtpReplay = new SrtpReplayWindow(replayWindowSize);
        RtcpReplay = new SrtpReplayWindow(replayWindowSize);
    }

    public bool RtpStarted { get; private set; }
    public uint Roc { get; private set; }
    public ushort HighestSequence { get; private set; }
    public SrtpReplayWindow RtpReplay { get; }
    public SrtpReplayWindow RtcpReplay { get; }

    /// <summary>Next SRTCP index to send (31 bits); starts at 1 as libsrtp does, so output matches it byte for byte.</summary>
    public uint NextRtcpIndex { get; set; } = 1;

    /// <summary>The index for <paramref name="sequence"/> (RFC 3711 3.3.1); the first packet starts at ROC 0.</summary>
    public long EstimateIndex(ushort sequence) =>
        RtpStarted ? SrtpIndexEstimator.Estimate(Roc, HighestSequence, sequence) : sequence;

    /// <summary>Moves s_l and ROC forward after a packet authenticated (RFC 3711 3.3.1 update rule).</summary>
    public void Update(ulong index)
    {
        uint v = (uint)(index >> 16);
        ushort sequence = (ushort)index;
        if (!RtpStarted)
        {
            RtpStarted = true;
            Roc = v;
            HighestSequence = sequence;
        }
        else if (v > Roc)
        {
            Roc = v;
            HighestSequence = sequence;
        }
        else if (v == Roc && sequence > HighestSequence)
        {
            HighestSequence = sequence;
        }

        RtpReplay.Accept(index);
    }
}
