using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.Sctp;

/// <summary>A client (initiator) and a server (responder) association on an in-memory link.</summary>
internal sealed class AssociationPair
{
    public AssociationPair(int seed = 1, SctpOptions? clientOptions = null, SctpOptions? serverOptions = null)
    {
        // Fixed initial TSNs keep runs repeatable (tags stay random; nothing depends on their value).
        Client = new AssociationEndpoint(new SctpAssociation(clientOptions ?? new SctpOptions { InitialTsn = (uint)(seed * 0x9E3779B1) }));
        Server = new AssociationEndpoint(new SctpAssociation(serverOptions ?? new SctpOptions { InitialTsn = (uint)(seed * 0x7F4A7C15) + 1 }));
        Link = new InMemoryLink(Client, Server, seed);
    }

    public AssociationEndpoint Client { get; }

    public AssociationEndpoint Server { get; }

    public InMemoryLink Link { get; }

    public void Connect()
    {
        Client.Association.Connect(Link.Now);
        Assert.True(Link.RunUntil(() => Client.Association.State == SctpAssociationState.Established
            && Server.Association.State == SctpAssociationState.Established), "handshake did not complete");
    }

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Rewrites a packet's checksum after a test changed its bytes.</summary>
    public static byte[] Reseal(byte[] packet)
    {
        SctpPacket.WriteChecksum(packet);
        return packet;
    }

    /// <summary>The type of the first chunk of a packet.</summary>
    public static SctpChunkType FirstChunk(byte[] packet) => (SctpChunkType)packet[12];
}
