namespace WebRtcAsr.Rtc.Ice;

/// <summary>States of the ICE-lite agent, reported through <see cref="IceEvent"/>.</summary>
public enum IceConnectionState
{
    /// <summary>Created; no connectivity check seen yet.</summary>
    New,

    /// <summary>Valid checks are arriving; no pair nominated yet.</summary>
    Checking,

    /// <summary>A pair was nominated and consent is fresh.</summary>
    Connected,

    /// <summary>No valid check within the consent timeout (RFC 7675): stop sending.</summary>
    Failed,

    /// <summary>Closed by the owner.</summary>
    Closed,
}
