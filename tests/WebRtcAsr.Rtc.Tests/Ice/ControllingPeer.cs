using System.Net;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Tests.Ice;

/// <summary>Builds the Binding requests a full, controlling agent (a browser) sends to our lite agent.</summary>
internal sealed class ControllingPeer(string serverUfrag, string serverPwd, string clientUfrag = "cLnT")
{
    public const ulong TieBreaker = 0x1122334455667788;

    public string ClientUfrag { get; } = clientUfrag;

    public byte[] Request(
        out StunTransactionId transactionId,
        bool useCandidate = false,
        uint priority = 1845501695,
        string? password = null,
        string? username = null,
        bool controlled = false,
        bool integrity = true,
        bool fingerprint = true,
        ushort? extraAttribute = null)
    {
        transactionId = StunTransactionId.NewRandom();
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, transactionId);
        writer.AddUsername(username ?? $"{serverUfrag}:{ClientUfrag}");
        writer.AddPriority(priority);
        if (controlled)
        {
            writer.AddIceControlled(TieBreaker);
        }
        else
        {
            writer.AddIceControlling(TieBreaker);
        }

        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        if (extraAttribute is { } type)
        {
            writer.AddBytes(type, [0, 0, 0, 1]);
        }

        if (integrity)
        {
            writer.AddMessageIntegrity(StunIntegrity.ShortTermKey(password ?? serverPwd));
        }

        if (fingerprint)
        {
            writer.AddFingerprint();
        }

        return writer.Written.ToArray();
    }

    public static IPEndPoint Address(string text) => IPEndPoint.Parse(text);
}
