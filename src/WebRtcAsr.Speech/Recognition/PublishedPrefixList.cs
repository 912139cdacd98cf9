namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// A list that hands out read-only views of its current items (<see cref="Publish"/>) without copying them: an
/// item a view can see is never written again, so a change at such an index first moves the list to a fresh
/// array (the old views keep the old one). A hypothesis that only grows thus costs one small view per result,
/// and its array grows by doubling like any list's.
/// </summary>
internal sealed class PublishedPrefixList<T>(int capacity)
{
    private T[] items = new T[Math.Max(capacity, 1)];
    private int published;
    private ReadOnlyPrefix<T>? lastView;

    public int Count { get; private set; }

    public T this[int index] => items[index];

    /// <summary>The current items, to read before the next change.</summary>
    public ReadOnlySpan<T> AsSpan() => items.AsSpan(0, Count);

    /// <summary>Keeps the first <paramref name="count"/> items (never more than there are).</summary>
    public void Truncate(int count) => Count = Math.Min(Count, count);

    /// <summary>Appends an item, first moving to a fresh array when the slot is one a view can see or the array is full.</summary>
    public void Add(T item)
    {
        if (Count < published || Count == items.Length)
        {
            // A full array doubles; a moved one gets room for a few more items beyond what it keeps (after a
            // reset it keeps nothing), since the next change may move it again.
            var fresh = new T[Count < published ? Count + (Count >> 1) + 4 : items.Length * 2];
            Array.Copy(items, fresh, Count);
            items = fresh;
            published = 0;
        }

        items[Count++] = item;
    }

    /// <summary>A view of the items now; the same view as last time when nothing changed since.</summary>
    public IReadOnlyList<T> Publish()
    {
        if (Count == 0)
        {
            return [];
        }

        // Slots below `published` are never rewritten in place, so an equal count on the same array is the same list.
        if (lastView is { } view && view.Count == Count && ReferenceEquals(view.Items, items))
        {
            return view;
        }

        published = Math.Max(published, Count);
        lastView = new ReadOnlyPrefix<T>(items, Count);
        return lastView;
    }
}
