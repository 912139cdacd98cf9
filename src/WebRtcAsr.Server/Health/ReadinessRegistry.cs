using System.Collections.Concurrent;

namespace WebRtcAsr.Server.Health;

/// <summary>
/// What must be ready before the server takes traffic (/readyz): components declare themselves not ready at
/// registration and mark themselves ready when they are (the model loaded, the recognizer warmed up, the UDP
/// port bound). The transports declare their own ("udp", "sip").
/// </summary>
public sealed class ReadinessRegistry
{
    private readonly ConcurrentDictionary<string, string?> components = new(StringComparer.Ordinal);

    /// <summary>Declares a component, not ready yet (no effect when it is declared already).</summary>
    public void Declare(string component) => components.TryAdd(component, "starting");

    public void MarkReady(string component) => components[component] = null;

    /// <summary>The component is (no longer) ready, and why.</summary>
    public void MarkNotReady(string component, string reason) => components[component] = reason;

    /// <summary>Whether every declared component is ready.</summary>
    public bool IsReady => components.Values.All(v => v is null);

    /// <summary>Each component and why it is not ready (null when ready).</summary>
    public IReadOnlyDictionary<string, string?> Snapshot() => new SortedDictionary<string, string?>(components, StringComparer.Ordinal);
}
