using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// A tensor over memory the caller owns, pinned for the tensor's lifetime. The data may be rewritten
/// between runs: create the tensor once and reuse it, so steady-state inference allocates nothing.
/// A tensor's shape is fixed; for a batch that varies, make one tensor per batch size over slices of
/// one buffer (<c>buffer.AsMemory(0, n * rowLength)</c>, shape [n, ...]) and pick the one that fits.
/// </summary>
public sealed unsafe class OnnxTensor<T> : OnnxValue where T : unmanaged
{
    private readonly Memory<T> _memory;

    /// <summary>A tensor over a new zeroed array on the pinned object heap.</summary>
    public OnnxTensor(ReadOnlySpan<long> shape)
        : this(NewPinnedArray(shape), shape, alreadyPinned: true)
    {
    }

    /// <summary>A tensor over <paramref name="memory"/>, which is pinned until the tensor is disposed; its length must equal the shape's product.</summary>
    public OnnxTensor(Memory<T> memory, ReadOnlySpan<long> shape)
        : this(memory, shape, alreadyPinned: false)
    {
    }

    private OnnxTensor(Memory<T> memory, ReadOnlySpan<long> shape, bool alreadyPinned)
        : base(OnnxElementTypeOf<T>.Require(), shape.ToArray())
    {
        long count = OnnxShape.ElementCount(shape);
        if (count != memory.Length)
        {
            throw new ArgumentException(
                $"A tensor of shape {OnnxShapeText.Format(shape)} holds {count} elements, but the memory given holds {memory.Length}.",
                nameof(memory));
        }
        _memory = memory;

        OnnxEnvironment env = OnnxEnvironment.Shared;
        OrtApi api = env.Api;
        System.Buffers.MemoryHandle pin = alreadyPinned ? default : memory.Pin();
        void* data = alreadyPinned ? Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory.Span)) : pin.Pointer;
        nint value;
        nint status;
        fixed (long* dims = shape)
        {
            status = api.CreateTensorWithDataAsOrtValue(
                env.CpuMemoryInfo, data, (nuint)(count * sizeof(T)), dims, (nuint)shape.Length, (int)ElementType, &value);
        }
        if (status != 0)
        {
            pin.Dispose();
            throw api.TakeError(status, $"Creating a {ElementType} tensor of shape {OnnxShapeText.Format(shape)}");
        }
        var handle = new OrtHandle(api, OrtObjectKind.Value, value);
        handle.HoldPin(pin);
        Attach(handle);
    }

    /// <summary>The tensor's elements; writes are seen by the next run.</summary>
    public Span<T> Span => _memory.Span;

    /// <summary>The memory the tensor is over.</summary>
    public Memory<T> Memory => _memory;

    private static Memory<T> NewPinnedArray(ReadOnlySpan<long> shape)
    {
        long count = OnnxShape.ElementCount(shape);
        if (count > Array.MaxLength) throw new ArgumentException($"A tensor of shape {OnnxShapeText.Format(shape)} is too large for one array.", nameof(shape));
        return GC.AllocateArray<T>((int)count, pinned: true);
    }
}
