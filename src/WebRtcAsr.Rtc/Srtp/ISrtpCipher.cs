namespace WebRtcAsr.Rtc.Srtp;

/// <summary>The transform of one profile family (AES-CM + HMAC-SHA1, or AES-GCM) for one direction.</summary>
internal interface ISrtpCipher : IDisposable
{
    int RtpTagLength { get; }

    int RtcpTagLength { get; }

    /// <summary>Encrypts and tags <paramref name="packet"/>[0..length) in place, tag appended.</summary>
    void ProtectRtp(Span<byte> packet, int length, int headerLength, uint ssrc, ulong index);

    /// <summary>Verifies and decrypts in place; <paramref name="packet"/> includes the tag.</summary>
    bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>Encrypts and tags an RTCP compound packet; appends what the profile puts after it (E|index, tag).</summary>
    int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index);

    /// <summary>Verifies and decrypts an SRTCP packet (whole, with trailer); returns false on authentication failure.</summary>
    bool UnprotectRtcp(Span<byte> packet, int rtcpLength, uint ssrc, uint index, bool encrypted);
}
