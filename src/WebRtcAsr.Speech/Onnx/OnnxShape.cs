namespace WebRtcAsr.Speech.Onnx;

/// <summary>Arithmetic on tensor shapes.</summary>
internal static class OnnxShape
{
    /// <summary>Number of elements of a concrete shape (1 for a scalar); throws on a negative dimension or overflow.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"A tensor's dimensions must be 0 or more; got {OnnxShapeText.Format(shape)}.", nameof(shape));
            count = checked(count * dim);
        }
        return count;
    }

    /// <summary>Whether a concrete shape fits a declared one (-1 matches any size).</summary>
    public static bool Fits(ReadOnlySpan<long> actual, ReadOnlySpan<long> declared)
    {
        if (actual.Length != declared.Length) return false;
        for (int i = 0; i < actual.Length; i++)
        {
            if (declared[i] >= 0 && declared[i] != actual[i]) return false;
        }
        return true;
    }
}
