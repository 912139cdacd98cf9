namespace WebRtcAsr.Rtc.Dtls;

/// <summary>TLS alert descriptions this endpoint sends or names (RFC 5246 7.2).</summary>
public enum DtlsAlertDescription : byte
{
    CloseNotify = 0,
    UnexpectedMessage = 10,
    BadRecordMac = 20,
    HandshakeFailure = 40,
    BadCertificate = 42,
    UnsupportedCertificate = 43,
    IllegalParameter = 47,
    DecodeError = 50,
    DecryptError = 51,
    ProtocolVersion = 70,
    InsufficientSecurity = 71,
    InternalError = 80,
    UnsupportedExtension = 110,
}

/// <summary>Alert level byte (RFC 5246 7.2).</summary>
internal enum DtlsAlertLevel : byte
{
    Warning = 1,
    Fatal = 2,
}
