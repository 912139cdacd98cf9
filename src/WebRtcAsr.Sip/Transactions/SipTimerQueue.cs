namespace WebRtcAsr.Sip.Transactions;

/// <summary>Something with a single "next due" instant that the timer queue can wake.</summary>
public interface ISipTimed
{
    /// <summary>When it next needs <c>OnTimer</c>, or null.</summary>
    TimeSpan? NextDue { get; }
}

/// <summary>
/// A min-heap of (owner, due) entries with lazy deletion: an entry whose owner's <see cref="ISipTimed.NextDue"/>
/// no longer equals the entry's due time is stale and skipped. Owners re-schedule after every change.
/// Stale entries drain as their time passes; when the capped heap fills up it is compacted to the live
/// entries, of which there is at most one per owner.
/// </summary>
public sealed class SipTimerQueue(int capacity)
{
    private readonly PriorityQueue<ISipTimed, TimeSpan> _heap = new();

    public int Count => _heap.Count;

    /// <summary>Records the owner's current due time, if any. Returns false when the queue is full.</summary>
    public bool Schedule(ISipTimed owner)
    {
        if (owner.NextDue is not { } due)
        {
            return true;
        }

        if (_heap.Count >= capacity)
        {
            Compact();
            if (_heap.Count >= capacity)
            {
                return false;
            }
        }

        _heap.Enqueue(owner, due);
        return true;
    }

    private void Compact()
    {
        var live = new HashSet<ISipTimed>(ReferenceEqualityComparer.Instance);
        var keep = new List<(ISipTimed Owner, TimeSpan Due)>();
        foreach (var (owner, due) in _heap.UnorderedItems)
        {
            if (owner.NextDue == due && live.Add(owner))
            {
                keep.Add((owner, due));
            }
        }

        _heap.Clear();
        foreach (var (owner, due) in keep)
        {
            _heap.Enqueue(owner, due);
        }
    }

    /// <summary>The earliest live due time.</summary>
    public TimeSpan? Next
    {
        get
        {
            while (_heap.TryPeek(out var owner, out var due))
            {
                if (owner.NextDue == due)
                {
                    return due;
                }

                _heap.Dequeue();
            }

            return null;
        }
    }

    /// <summary>Takes the next owner due at or before <paramref name="now"/> (each owner once per call site loop).</summary>
    public bool TryTakeDue(TimeSpan now, out ISipTimed owner)
    {
        while (_heap.TryPeek(out owner!, out var due))
        {
            if (owner.NextDue != due)
            {
                _heap.Dequeue();
                continue;
            }

            if (due > now)
            {
                return false;
            }

            _heap.Dequeue();
            return true;
        }

        return false;
    }
}
