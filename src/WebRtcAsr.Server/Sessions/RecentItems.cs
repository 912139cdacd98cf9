namespace WebRtcAsr.Server.Sessions;

/// <summary>
/// The last N items added, oldest first: a fixed array used as a ring, the oldest item overwritten when full. What a
/// session keeps for a reconnecting client and a call keeps for a late watcher. Not thread-safe.
/// </summary>
public sealed class RecentItems<T>
{
    private readonly T[] items;
    private int start;

    public RecentItems(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        items = new T[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The <paramref name="index"/>-th kept item, 0 being the oldest.</summary>
    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return items[(start + index) % items.Length];
        }
    }

    /// <summary>Keeps <paramref name="item"/>, forgetting the oldest when full.</summary>
    public void Add(T item)
    {
        if (Count == items.Length)
        {
            start = (start + 1) % items.Length;
            Count--;
        }

        items[(start + Count) % items.Length] = item;
        Count++;
    }

    /// <summary>The kept items, oldest first, as a new array.</summary>
    public T[] ToArray()
    {
        var copy = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = this[i];
        }

        return copy;
    }

    public void Clear()
    {
        Array.Clear(items);
        start = 0;
        Count = 0;
    }
}
