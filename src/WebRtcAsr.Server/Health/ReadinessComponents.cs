namespace WebRtcAsr.Server.Health;

/// <summary>Names of the components /readyz waits for.</summary>
public static class ReadinessComponents
{
    public const string Model = "model";
    public const string Recognizer = "recognizer";
    public const string Udp = "udp";
}
