namespace WebRtcAsr.Rtc.Sdp;

/// <summary>Media direction attributes (RFC 8866 6.7), from the side of the description that carries them.</summary>
public enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>Parsing and naming of <see cref="SdpDirection"/>.</summary>
public static class SdpDirections
{
    public static bool TryParse(string? text, out SdpDirection direction)
    {
        switch (text)
        {
            case "sendrecv": direction = SdpDirection.SendRecv; return true;
            case "sendonly": direction = SdpDirection.SendOnly; return true;
            case "recvonly": direction = SdpDirection.RecvOnly; return true;
            case "inactive": direction = SdpDirection.Inactive; return true;
            default: direction = SdpDirection.SendRecv; return false;
        }
    }

    public static string Name(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Whether the side that wrote <paramref name="direction"/> sends media.</summary>
    public static bool Sends(SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;
}
