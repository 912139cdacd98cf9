namespace WebRtcAsr.Rtc.Dtls;

/// <summary>Life cycle of a DTLS endpoint.</summary>
public enum DtlsEndpointState
{
    Handshaking,
    Connected,
    Closed,
    Failed,
}
