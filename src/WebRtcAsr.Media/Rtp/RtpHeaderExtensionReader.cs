namespace WebRtcAsr.Media.Rtp;

/// <summary>
/// Iterates the elements of an RFC 8285 header extension block, one-byte (profile 0xBEDE) or
/// two-byte (profile 0x100X) form. Padding bytes (id 0) are skipped; in the one-byte form id 15
/// ends the block. A malformed element stops the iteration and sets <see cref="Error"/>.
/// </summary>
public ref struct RtpHeaderExtensionReader
{
    /// <summary>Profile value of the one-byte header form.</summary>
    public const ushort OneByteProfile = 0xBEDE;

    /// <summary>Profile value of the two-byte header form (low 4 bits are "appbits").</summary>
    public const ushort TwoByteProfile = 0x1000;

    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _oneByte;
    private readonly bool _supported;
    private int _offset;

    public RtpHeaderExtensionReader(ushort profile, ReadOnlySpan<byte> data)
    {
        _data = data;
        _oneByte = profile == OneByteProfile;
        _supported = _oneByte || (profile & 0xFFF0) == TwoByteProfile;
        _offset = 0;
        Id = 0;
        Data = default;
        Error = RtpParseError.None;
    }

    /// <summary>Id of the current element (1-14 one-byte form, 1-255 two-byte form).</summary>
    public int Id { get; private set; }

    /// <summary>Data of the current element.</summary>
    public ReadOnlySpan<byte> Data { get; private set; }

    /// <summary>Set when the block was malformed; elements before the fault were still returned.</summary>
    public RtpParseError Error { get; private set; }

    /// <summary>Advances to the next element; false at the end of the block or on a malformed element.</summary>
    public bool MoveNext()
    {
        if (!_supported)
        {
            return false;
        }

        while (_offset < _data.Length)
        {
            byte first = _data[_offset];
            if (first == 0)
            {
                _offset++; // padding between elements
                continue;
            }

            int id;
            int length;
            int headerLength;
            if (_oneByte)
            {
                id = first >> 4;
                if (id == 15)
                {
                    // RFC 8285 4.2: id 15 is reserved; parsing of the block stops.
                    _offset = _data.Length;
                    return false;
                }

                length = (first & 0x0F) + 1;
                headerLength = 1;
            }
            else
            {
                if (_offset + 1 >= _data.Length)
                {
                    Error = RtpParseError.ExtensionElementOverrun;
                    _offset = _data.Length;
                    return false;
                }

                id = first;
                length = _data[_offset + 1];
                headerLength = 2;
            }

            int start = _offset + headerLength;
            if (length > _data.Length - start)
            {
                Error = RtpParseError.ExtensionElementOverrun;
                _offset = _data.Length;
                return false;
            }

            Id = id;
            Data = _data.Slice(start, length);
            _offset = start + length;
            return true;
        }

        return false;
    }

    /// <summary>Finds the element with the given id (first one wins).</summary>
    public static bool TryFind(ushort profile, ReadOnlySpan<byte> block, int id, out ReadOnlySpan<byte> data)
    {
        var reader = new RtpHeaderExtensionReader(profile, block);
        while (reader.MoveNext())
        {
            if (reader.Id == id)
            {
                data = reader.Data;
                return true;
            }
        }

        data = default;
        return false;
    }
}
