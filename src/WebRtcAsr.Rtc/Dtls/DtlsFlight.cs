using System.Buffers;

namespace WebRtcAsr.Rtc.Dtls;

/// <summary>
/// The last flight this endpoint sent (RFC 6347 4.2.4), kept whole so it can be sent again on a
/// timeout or when the peer retransmits its previous flight. Each item remembers its epoch, so a
/// retransmitted Finished is protected again under epoch 1 with a fresh record number.
/// </summary>
internal sealed class DtlsFlight
{
    /// <summary>Below this much room left in a datagram, a message that does not fit starts a new datagram
    /// rather than being cut into a tiny fragment.</summary>
    private const int MinFragmentRoom = 128;

    private readonly List<Item> _items = [];

    public IReadOnlyList<Item> Items => _items;

    public bool IsEmpty => _items.Count == 0;

    public void Clear() => _items.Clear();

    public void AddHandshake(ushort epoch, byte[] wireMessage) => _items.Add(new Item(false, epoch, wireMessage));

    public void AddChangeCipherSpec() => _items.Add(new Item(true, 0, []));

    /// <summary>
    /// Packs the flight into datagrams of at most <paramref name="mtu"/> bytes (several records per
    /// datagram, handshake messages fragmented where needed) and hands each to <paramref name="send"/>
    /// with a pooled buffer. Returns true when the flight holds a ChangeCipherSpec.
    /// </summary>
    public bool Emit(DtlsRecordLayer records, int mtu, byte[] scratch, Action<byte[], int> send)
    {
        bool changeCipherSpec = false;
        byte[] datagram = ArrayPool<byte>.Shared.Rent(mtu);
        int used = 0;
        foreach (var item in _items)
        {
            if (item.IsChangeCipherSpec)
            {
                if (used + DtlsWire.RecordHeaderLength + 1 > mtu)
                {
                    Flush(ref datagram, ref used, mtu, send);
                }
                used += records.Write(datagram.AsSpan(used), DtlsContentType.ChangeCipherSpec, 0, [1]);
                changeCipherSpec = true;
                continue;
            }
            int overhead = DtlsWire.RecordHeaderLength + DtlsWire.HandshakeHeaderLength + (item.Epoch > 0 ? DtlsWire.GcmRecordOverhead : 0);
            var wire = item.WireMessage;
            int bodyLength = wire.Length - DtlsWire.HandshakeHeaderLength;
            var type = (DtlsHandshakeType)wire[0];
            int messageSeq = (wire[4] << 8) | wire[5];
            int offset = 0;
            do
            {
                int room = mtu - used - overhead;
                int remaining = bodyLength - offset;
                if (remaining > room && used > 0 && room < MinFragmentRoom)
                {
                    Flush(ref datagram, ref used, mtu, send);
                    room = mtu - overhead;
                }
                int fragmentLength = Math.Min(remaining, room);
                var payload = scratch.AsSpan(0, DtlsWire.HandshakeHeaderLength + fragmentLength);
                new DtlsHandshakeHeader(type, bodyLength, messageSeq, offset, fragmentLength).Write(payload);
                wire.AsSpan(DtlsWire.HandshakeHeaderLength + offset, fragmentLength).CopyTo(payload[DtlsWire.HandshakeHeaderLength..]);
                used += records.Write(datagram.AsSpan(used), DtlsContentType.Handshake, item.Epoch, payload);
                offset += fragmentLength;
            }
            while (offset < bodyLength);
        }
        if (used > 0)
        {
            send(datagram, used);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(datagram);
        }
        return changeCipherSpec;
    }

    private static void Flush(ref byte[] datagram, ref int used, int mtu, Action<byte[], int> send)
    {
        if (used == 0)
        {
            return;
        }
        send(datagram, used);
        datagram = ArrayPool<byte>.Shared.Rent(mtu);
        used = 0;
    }

    /// <summary>One handshake message (whole, with its 12-byte header) or a ChangeCipherSpec.</summary>
    internal readonly record struct Item(bool IsChangeCipherSpec, ushort Epoch, byte[] WireMessage);
}
