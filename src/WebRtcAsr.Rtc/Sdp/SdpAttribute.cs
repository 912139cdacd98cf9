namespace WebRtcAsr.Rtc.Sdp;

/// <summary>One "a=" line: a property attribute (no value) or a value attribute ("name:value").</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
