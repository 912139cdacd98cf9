using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>A DtlsEvent with its application data copied out of the endpoint's pooled buffer.</summary>
internal sealed record DtlsRecordedEvent(DtlsEventKind Kind, byte[]? Data, DtlsConnection? Connection, string? Reason, DtlsAlertDescription? Alert)
{
    public static DtlsRecordedEvent From(in DtlsEvent e) =>
        new(e.Kind, e.Kind == DtlsEventKind.ApplicationData ? e.Data.ToArray() : null, e.Connection, e.Reason, e.Alert);
}
