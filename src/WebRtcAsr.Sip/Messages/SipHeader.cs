namespace WebRtcAsr.Sip.Messages;

/// <summary>One header field: canonical name and its value with folding undone and outer whitespace trimmed.</summary>
public readonly record struct SipHeader(string Name, string Value);
