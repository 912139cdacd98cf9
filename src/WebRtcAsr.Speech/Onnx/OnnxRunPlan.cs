using System.Text;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// A fixed list of inputs to feed and outputs to fetch, with the native name arrays built once, so
/// that <see cref="Run(ReadOnlySpan{OnnxValue}, ReadOnlySpan{OnnxValue})"/> allocates nothing managed.
/// Immutable: one plan may be used by several threads at once, each with its own tensors.
/// </summary>
public sealed unsafe class OnnxRunPlan
{
    /// <summary>Most values one run may pass; the native value array lives on the stack.</summary>
    public const int MaxValues = 256;

    private readonly OnnxSession _session;
    private readonly OnnxTensorInfo[] _inputs;
    private readonly OnnxTensorInfo[] _outputs;

    // UTF-8 names and the arrays of pointers to them, on the pinned object heap: they never move,
    // and the GC frees them with the plan.
    private readonly byte[] _nameBytes;
    private readonly nint[] _namePointers;

    internal OnnxRunPlan(OnnxSession session, OnnxTensorInfo[] inputs, OnnxTensorInfo[] outputs)
    {
        if (inputs.Length + outputs.Length > MaxValues)
        {
            throw new OnnxRuntimeException($"A run plan may name at most {MaxValues} inputs and outputs together; {inputs.Length + outputs.Length} were named.", session.ModelPath);
        }
        _session = session;
        _inputs = inputs;
        _outputs = outputs;
        InputNames = Array.AsReadOnly(inputs.Select(i => i.Name).ToArray());
        OutputNames = Array.AsReadOnly(outputs.Select(o => o.Name).ToArray());

        string[] all = [.. InputNames, .. OutputNames];
        int size = all.Sum(n => Encoding.UTF8.GetByteCount(n) + 1);
        _nameBytes = GC.AllocateArray<byte>(size, pinned: true);
        _namePointers = GC.AllocateArray<nint>(all.Length, pinned: true);
        fixed (byte* start = _nameBytes)
        {
            int offset = 0;
            for (int i = 0; i < all.Length; i++)
            {
                _namePointers[i] = (nint)(start + offset);
                offset += Encoding.UTF8.GetBytes(all[i], _nameBytes.AsSpan(offset));
                _nameBytes[offset++] = 0;
            }
        }
    }

    public IReadOnlyList<string> InputNames { get; }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>The session this plan runs.</summary>
    public OnnxSession Session => _session;

    /// <summary>
    /// Runs the model, writing into <paramref name="outputs"/>, which the caller made with the shapes the
    /// model produces. Inputs and outputs are in the plan's order; types and declared sizes are checked first.
    /// </summary>
    public void Run(ReadOnlySpan<OnnxValue> inputs, ReadOnlySpan<OnnxValue> outputs)
    {
        CheckCount(outputs.Length, _outputs.Length, "output");
        nint* values = stackalloc nint[_inputs.Length + _outputs.Length];
        RunCore(inputs, outputs, values);
    }

    /// <summary>Runs the model and lets ONNX Runtime allocate the outputs (for outputs whose shape is not known beforehand).</summary>
    public OnnxOutputs Run(ReadOnlySpan<OnnxValue> inputs)
    {
        int total = _inputs.Length + _outputs.Length;
        nint* values = stackalloc nint[total];
        new Span<nint>(values, total).Clear();
        RunCore(inputs, [], values);

        OrtApi api = _session.Environment.Api;
        var owned = new OnnxOwnedValue[_outputs.Length];
        nint* results = values + _inputs.Length;
        try
        {
            for (int i = 0; i < owned.Length; i++)
            {
                owned[i] = OnnxOwnedValue.Take(api, results[i], _outputs[i].Name);
                results[i] = 0;
            }
        }
        catch
        {
            for (int i = 0; i < owned.Length; i++)
            {
                owned[i]?.Dispose();
                if (results[i] != 0) api.ReleaseValue(results[i]);
            }
            throw;
        }
        return new OnnxOutputs(owned, _session.ModelPath);
    }

    /// <summary>
    /// Checks the values, keeps their handles (and the session's) alive for the call, and runs.
    /// <paramref name="values"/> has room for inputs then outputs; output slots are left as given
    /// (zero = let ONNX Runtime allocate) when <paramref name="outputs"/> is empty.
    /// </summary>
    private void RunCore(ReadOnlySpan<OnnxValue> inputs, ReadOnlySpan<OnnxValue> outputs, nint* values)
    {
        CheckCount(inputs.Length, _inputs.Length, "input");
        OrtApi api = _session.Environment.Api;
        OrtHandle session = _session.Handle;
        int held = 0;
        bool sessionHeld = false;
        try
        {
            session.DangerousAddRef(ref sessionHeld);
            for (int i = 0; i < inputs.Length; i++)
            {
                values[i] = Hold(inputs[i], _inputs[i], "input");
                held++;
            }
            for (int i = 0; i < outputs.Length; i++)
            {
                values[_inputs.Length + i] = Hold(outputs[i], _outputs[i], "output");
                held++;
            }

            byte** names = (byte**)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _namePointers[0]);
            nint status = api.Run(
                session.DangerousGetHandle(), 0,
                names, values, (nuint)_inputs.Length,
                names + _inputs.Length, (nuint)_outputs.Length, values + _inputs.Length);
            if (status != 0) throw api.TakeError(status, $"Running model '{_session.ModelPath}'", _session.ModelPath);
        }
        finally
        {
            for (int i = 0; i < held; i++)
            {
                OnnxValue value = i < inputs.Length ? inputs[i] : outputs[i - inputs.Length];
                value.Handle.DangerousRelease();
            }
            if (sessionHeld) session.DangerousRelease();
        }
    }

    /// <summary>Checks one value against the model's declaration and takes a reference on its handle.</summary>
    private nint Hold(OnnxValue value, OnnxTensorInfo declared, string kind)
    {
        if (value is null) throw new OnnxRuntimeException($"No value was given for {kind} '{declared.Name}' of model '{_session.ModelPath}'.", _session.ModelPath);
        if ((declared.ElementType != OnnxElementType.Undefined && value.ElementType != declared.ElementType) ||
            !OnnxShape.Fits(value.Shape, declared.Shape))
        {
            throw new OnnxRuntimeException(
                $"The {kind} '{declared.Name}' of model '{_session.ModelPath}' must be {declared.Describe()}, but a {value} tensor was given.",
                _session.ModelPath);
        }
        ObjectDisposedException.ThrowIf(value.IsDisposed, value);
        bool added = false;
        value.Handle.DangerousAddRef(ref added);
        return value.Handle.DangerousGetHandle();
    }

    private void CheckCount(int given, int expected, string kind)
    {
        if (given != expected)
        {
            throw new OnnxRuntimeException(
                $"This run plan of model '{_session.ModelPath}' takes {expected} {kind}(s) ({string.Join(", ", (kind == "input" ? InputNames : OutputNames))}), but {given} were given.",
                _session.ModelPath);
        }
    }
}
