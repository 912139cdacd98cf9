using System.Net;

namespace WebRtcAsr.Rtc.Ice;

/// <summary>What an <see cref="IceEvent"/> reports.</summary>
public enum IceEventKind
{
    /// <summary><see cref="IceEvent.State"/> is the new state.</summary>
    StateChanged,

    /// <summary><see cref="IceEvent.Remote"/> is the newly selected remote address: send media there.</summary>
    SelectedPairChanged,

    /// <summary><see cref="IceEvent.Remote"/> sent a valid check: the demux table may learn it.</summary>
    RemoteAddressValidated,
}

/// <summary>An event from the ICE agent, drained with <see cref="IceLiteAgent.TryPollEvent"/>.</summary>
public readonly record struct IceEvent(IceEventKind Kind, IceConnectionState State, IPEndPoint? Remote);
