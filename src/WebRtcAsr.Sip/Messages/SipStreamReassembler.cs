namespace WebRtcAsr.Sip.Messages;

/// <summary>
/// Frames SIP messages out of a byte stream (TCP) by Content-Length (RFC 3261 §18.3), in a bounded buffer.
/// Feed received bytes with <see cref="Append"/>, then call <see cref="TryRead"/> until it returns false.
/// A framing error (bad Content-Length, oversized message) makes <see cref="IsBroken"/> true: the connection
/// cannot be resynchronized and should be closed.
/// </summary>
public sealed class SipStreamReassembler(SipLimits limits)
{
    private readonly byte[] _buffer = new byte[limits.MaxMessageBytes + 4];
    private int _length;

    public bool IsBroken { get; private set; }

    /// <summary>Bytes buffered and not yet framed.</summary>
    public int Buffered => _length;

    /// <summary>Adds bytes; false (and broken) when they do not fit, i.e. a message would exceed the size limit.</summary>
    public bool Append(ReadOnlySpan<byte> data)
    {
        if (IsBroken)
        {
            return false;
        }

        if (data.Length > _buffer.Length - _length)
        {
            IsBroken = true;
            return false;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        return true;
    }

    /// <summary>
    /// Frames the next message, keep-alive or error; false when more bytes are needed (or the stream is broken).
    /// An invalid result with a known length is consumed and framing continues; one without breaks the stream.
    /// </summary>
    public bool TryRead(out SipParseResult result)
    {
        result = default;
        if (IsBroken || _length == 0)
        {
            return false;
        }

        result = SipMessageParser.Parse(_buffer.AsSpan(0, _length), limits, datagram: false);
        switch (result.Status)
        {
            case SipParseStatus.Incomplete:
                return false;
            case SipParseStatus.Invalid when result.Consumed == 0:
                IsBroken = true;
                return true;
            default:
                Consume(result.Consumed);
                return true;
        }
    }

    private void Consume(int count)
    {
        _buffer.AsSpan(count, _length - count).CopyTo(_buffer);
        _length -= count;
    }
}
