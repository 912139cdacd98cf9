namespace WebRtcAsr.Sip.Media;

/// <summary>Counters of one call's media (the audio path's and the DTMF detector's are alongside).</summary>
public sealed class CallMediaStatistics
{
    /// <summary>RTP datagrams received on the call's port.</summary>
    public long RtpDatagrams { get; internal set; }

    /// <summary>Datagrams that were not RTP version 2.</summary>
    public long RtpMalformed { get; internal set; }

    /// <summary>RTP that arrived before the call started and was held, to be played in at the start.</summary>
    public long RtpHeldBeforeStart { get; internal set; }

    /// <summary>RTP that arrived before the call started beyond what is held, dropped.</summary>
    public long RtpBeforeStart { get; internal set; }

    /// <summary>RTP from an address other than the latched source, dropped (symmetric RTP).</summary>
    public long RtpFromOtherSources { get; internal set; }

    /// <summary>Times the remote RTP address was latched or re-latched to a source other than the SDP's.</summary>
    public long Latches { get; internal set; }

    /// <summary>telephone-event packets handed to the DTMF detector.</summary>
    public long TelephoneEventPackets { get; internal set; }

    /// <summary>Audio packets handed to the audio path.</summary>
    public long AudioPackets { get; internal set; }

    /// <summary>DTMF key presses reported.</summary>
    public long DtmfPresses { get; internal set; }

    public long RtcpReceived { get; internal set; }

    public long RtcpMalformed { get; internal set; }

    /// <summary>RTCP from a host other than the caller's media address, dropped.</summary>
    public long RtcpFromOtherSources { get; internal set; }

    public long RtcpSent { get; internal set; }

    /// <summary>Datagrams dropped because the call's owner task fell behind (driver only).</summary>
    public long InboundDropped { get; internal set; }

    /// <summary>Samples (16 kHz) handed to the audio consumer.</summary>
    public long SamplesOut { get; internal set; }
}
