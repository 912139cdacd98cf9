namespace WebRtcAsr.Rtc.Dtls;

/// <summary>Kinds of <see cref="DtlsEvent"/>.</summary>
public enum DtlsEventKind
{
    /// <summary>The handshake finished; <see cref="DtlsEvent.Connection"/> holds keys and peer identity.</summary>
    Connected,

    /// <summary>One application data record arrived; <see cref="DtlsEvent.Data"/> holds its plaintext.</summary>
    ApplicationData,

    /// <summary>The connection was closed with close_notify (by either side).</summary>
    Closed,

    /// <summary>The handshake or connection failed; <see cref="DtlsEvent.Reason"/> says why.</summary>
    Failed,
}

/// <summary>
/// Something the DTLS endpoint reports. For <see cref="DtlsEventKind.ApplicationData"/>,
/// <see cref="Data"/> refers to a pooled buffer that stays valid only until the next
/// <c>PollEvent</c> call; copy it (or hand it on) before polling again.
/// </summary>
public readonly struct DtlsEvent
{
    internal DtlsEvent(DtlsEventKind kind, DtlsConnection? connection, ReadOnlyMemory<byte> data, string? reason, DtlsAlertDescription? alert)
    {
        Kind = kind;
        Connection = connection;
        Data = data;
        Reason = reason;
        Alert = alert;
    }

    public DtlsEventKind Kind { get; }

    /// <summary>Set for <see cref="DtlsEventKind.Connected"/>.</summary>
    public DtlsConnection? Connection { get; }

    /// <summary>Set for <see cref="DtlsEventKind.ApplicationData"/>; valid until the next PollEvent.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Human-readable reason for <see cref="DtlsEventKind.Failed"/> and <see cref="DtlsEventKind.Closed"/>.</summary>
    public string? Reason { get; }

    /// <summary>For failures: the alert sent to, or received from, the peer.</summary>
    public DtlsAlertDescription? Alert { get; }

    public override string ToString() => Kind switch
    {
        DtlsEventKind.ApplicationData => $"ApplicationData({Data.Length} bytes)",
        DtlsEventKind.Failed or DtlsEventKind.Closed => $"{Kind}: {Reason}",
        _ => Kind.ToString(),
    };
}
