using System.Security.Cryptography;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The handshake messages exchanged so far, each as an unfragmented DTLS handshake message with
/// its 12-byte header (RFC 6347 4.2.6). Kept whole because CertificateVerify signs the messages
/// themselves, while Finished and the extended master secret need their SHA-256 at given points.
/// Bounded by <see cref="MaxLength"/>.
/// </summary>
internal sealed class DtlsHandshakeTranscript
{
    public const int MaxLength = 64 * 1024;
    private readonly MemoryStream _messages = new();

    public bool TryAdd(ReadOnlySpan<byte> fullMessage)
    {
        if (_messages.Length + fullMessage.Length > MaxLength)
        {
            return false;
        }
        _messages.Write(fullMessage);
        return true;
    }

    public void Reset() => _messages.SetLength(0);

    public ReadOnlySpan<byte> Messages => _messages.GetBuffer().AsSpan(0, (int)_messages.Length);

    public byte[] Hash() => SHA256.HashData(Messages);
}
