namespace WebRtcAsr.Sip.Transactions;

/// <summary>A bounded FIFO of datagrams/segments waiting for the driver; when full, the newest is dropped and counted.</summary>
public sealed class SipOutbox(int capacity)
{
    private readonly Queue<SipTransmit> _queue = new();

    public int Count => _queue.Count;

    /// <summary>Messages dropped because the driver did not drain the outbox in time.</summary>
    public long Dropped { get; private set; }

    public void Send(SipFlow flow, byte[] data)
    {
        if (_queue.Count >= capacity)
        {
            Dropped++;
            return;
        }

        _queue.Enqueue(new SipTransmit(flow, data));
    }

    public bool TryDequeue(out SipTransmit transmit) => _queue.TryDequeue(out transmit);
}
