using System.Collections;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// The first <see cref="Count"/> items of an array that its <see cref="PublishedPrefixList{T}"/> never writes again:
/// what a <see cref="RecognitionResult"/> holds, so that successive results of a stream can share one array.
/// </summary>
internal sealed class ReadOnlyPrefix<T>(T[] items, int count) : IReadOnlyList<T>
{
    public int Count => count;

    /// <summary>The shared array (items at and past <see cref="Count"/> belong to later results).</summary>
    internal T[] Items => items;

    public T this[int index] => (uint)index < (uint)count ? items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
        {
            yield return items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
