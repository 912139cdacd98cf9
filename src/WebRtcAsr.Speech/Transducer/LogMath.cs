namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// The numeric kernels of the searches, computed in the same precision and order as sherpa-onnx's math.h,
/// so that the same joiner outputs give the same choices.
/// </summary>
internal static class LogMath
{
    private static readonly double MinLogDiffDouble = Math.Log(2.220446049250313e-16); // log(DBL_EPSILON)

    /// <summary>In-place log-softmax of one row: float accumulation of double exponentials, as sherpa's template does.</summary>
    public static void LogSoftmax(Span<float> row)
    {
        var max = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > max)
            {
                max = row[i];
            }
        }

        var sum = 0f;
        for (var i = 0; i < row.Length; i++)
        {
            sum = (float)(sum + Math.Exp(row[i] - max));
        }

        var offset = (float)(max + Math.Log(sum));
        for (var i = 0; i < row.Length; i++)
        {
            row[i] -= offset;
        }
    }

    /// <summary>log(exp(x) + exp(y)) in double, dropping the smaller term when it is below double precision.</summary>
    public static double LogAdd(double x, double y)
    {
        double diff;
        if (x < y)
        {
            diff = x - y;
            x = y;
        }
        else
        {
            diff = y - x;
        }

        return diff >= MinLogDiffDouble ? x + Math.Log(1 + Math.Exp(diff)) : x;
    }

    /// <summary>Index of the first maximum (std::max_element).</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        var max = row[0];
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > max)
            {
                max = row[i];
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// The indices of the k largest values, largest first; among equal values the lower index comes first.
    /// Returns how many were written (min(k, values.Length)).
    /// </summary>
    public static int TopK(ReadOnlySpan<float> values, Span<int> indices)
    {
        var k = Math.Min(indices.Length, values.Length);
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (count == k && !(v > values[indices[count - 1]]))
            {
                continue;
            }

            // Insert after every kept value that is >= v (earlier indices win ties).
            var pos = count < k ? count : k - 1;
            while (pos > 0 && values[indices[pos - 1]] < v)
            {
                if (pos < k)
                {
                    indices[pos] = indices[pos - 1];
                }

                pos--;
            }

            indices[pos] = i;
            if (count < k)
            {
                count++;
            }
        }

        return count;
    }
}
