namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The last flight this endpoint sent (RFC 6347 4.2.4), kept whole so it can be sent again on a
/// timeout or when the peer retransmits its previous flight. Each item remembers its epoch, so a
/// retransmitted Finished is protected again under epoch 1 with a fresh record number.
/// </summary>
internal sealed class DtlsFlight
{
    private readonly List<Item> _items = [];

    public IReadOnlyList<Item> Items => _items;

    public void Clear() => _items.Clear();

    public void AddHandshake(ushort epoch, byte[] wireMessage) => _items.Add(new Item(false, epoch, wireMessage));

    public void AddChangeCipherSpec() => _items.Add(new Item(true, 0, []));

    public bool IsEmpty => _items.Count == 0;

    /// <summary>One handshake message (whole, with its 12-byte header) or a ChangeCipherSpec.</summary>
    internal readonly record struct Item(bool IsChangeCipherSpec, ushort Epoch, byte[] WireMessage);
}
