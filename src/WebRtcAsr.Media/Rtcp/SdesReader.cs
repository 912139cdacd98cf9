using System.Buffers.Binary;

namespace WebRtcAsr.Media.Rtcp;

/// <summary>
/// Iterates the items of an SDES packet (RFC 3550 6.5) across its chunks: each step yields the
/// chunk's SSRC/CSRC and one item. A chunk's item list ends with a null octet and is padded to a
/// 32-bit boundary. Malformed chunks stop the iteration with <see cref="Error"/> set.
/// </summary>
public ref struct SdesReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly int _chunkCount;
    private int _chunksStarted;
    private int _offset;
    private bool _inChunk;

    public SdesReader(in RtcpPacketView packet)
    {
        _body = packet.PacketType == (byte)RtcpPacketType.SourceDescription ? packet.Body : default;
        _chunkCount = packet.PacketType == (byte)RtcpPacketType.SourceDescription ? packet.Count : 0;
        _chunksStarted = 0;
        _offset = 0;
        _inChunk = false;
        Source = 0;
        ItemType = SdesItemType.End;
        Text = default;
        Error = RtcpParseError.None;
    }

    public uint Source { get; private set; }
    public SdesItemType ItemType { get; private set; }

    /// <summary>Item text as UTF-8 bytes (not null-terminated).</summary>
    public ReadOnlySpan<byte> Text { get; private set; }

    public RtcpParseError Error { get; private set; }

    public bool MoveNext()
    {
        while (true)
        {
            if (!_inChunk)
            {
                if (_chunksStarted == _chunkCount)
                {
                    return false;
                }

                if (_body.Length - _offset < 4)
                {
                    return Fail();
                }

                Source = BinaryPrimitives.ReadUInt32BigEndian(_body[_offset..]);
                _offset += 4;
                _chunksStarted++;
                _inChunk = true;
            }

            if (_offset >= _body.Length)
            {
                return Fail();
            }

            byte type = _body[_offset];
            if (type == (byte)SdesItemType.End)
            {
                // Null item ends the chunk; skip to the next 32-bit boundary.
                _offset = (_offset + 4) & ~3;
                if (_offset > _body.Length)
                {
                    return Fail();
                }

                _inChunk = false;
                continue;
            }

            if (_offset + 2 > _body.Length || _offset + 2 + _body[_offset + 1] > _body.Length)
            {
                return Fail();
            }

            int length = _body[_offset + 1];
            ItemType = (SdesItemType)type;
            Text = _body.Slice(_offset + 2, length);
            _offset += 2 + length;
            return true;
        }
    }

    private bool Fail()
    {
        Error = RtcpParseError.BadSdes;
        _chunksStarted = _chunkCount;
        _inChunk = false;
        return false;
    }
}
