namespace WebRtcAsr.Rtc.Srtp;

/// <summary>Key derivation labels (RFC 3711 4.3.1 and 4.3.2).</summary>
public enum SrtpLabel : byte
{
    RtpEncryption = 0,
    RtpAuthentication = 1,
    RtpSalt = 2,
    RtcpEncryption = 3,
    RtcpAuthentication = 4,
    RtcpSalt = 5,
}
