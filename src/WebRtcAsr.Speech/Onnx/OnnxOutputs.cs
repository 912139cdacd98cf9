namespace WebRtcAsr.Speech.Onnx;

/// <summary>Outputs that ONNX Runtime allocated for one run, in the order the run plan names them.</summary>
public sealed class OnnxOutputs : IDisposable
{
    private readonly OnnxOwnedValue[] _values;
    private readonly string _modelPath;

    internal OnnxOutputs(OnnxOwnedValue[] values, string modelPath)
    {
        _values = values;
        _modelPath = modelPath;
    }

    public int Count => _values.Length;

    public OnnxOwnedValue this[int index] => _values[index];

    /// <summary>The output called <paramref name="name"/>; throws <see cref="OnnxRuntimeException"/> naming the outputs there are.</summary>
    public OnnxOwnedValue this[string name]
    {
        get
        {
            foreach (OnnxOwnedValue value in _values)
            {
                if (value.Name == name) return value;
            }
            throw new OnnxRuntimeException(
                $"This run of model '{_modelPath}' has no output '{name}'; it has: {string.Join(", ", _values.Select(v => v.Name))}.",
                _modelPath);
        }
    }

    /// <summary>Frees every output. Safe to call more than once.</summary>
    public void Dispose()
    {
        foreach (OnnxOwnedValue value in _values) value.Dispose();
    }
}
