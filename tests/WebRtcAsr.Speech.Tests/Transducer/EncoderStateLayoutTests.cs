using System.Runtime.InteropServices;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class EncoderStateLayoutTests
{
    // Two states like zipformer2's: (left, N, dim) batched on axis 1 and (N, channels, k) batched on axis 0,
    // then an int64 (N) state.
    private static EncoderStateLayout Layout() => new(
    [
        new EncoderStateTensor("key", "new_key", OnnxElementType.Float, [3, 1, 2], 1),
        new EncoderStateTensor("conv", "new_conv", OnnxElementType.Float, [1, 2, 2], 0),
        new EncoderStateTensor("lens", "new_lens", OnnxElementType.Int64, [1], 0),
    ]);

    [Fact]
    public void StackConcatenatesAlongEachBatchAxisAndSplitRestores()
    {
        var layout = Layout();
        var streams = new byte[3][];
        for (var b = 0; b < 3; b++)
        {
            streams[b] = layout.CreateInitialStates();
            var key = MemoryMarshal.Cast<byte, float>(streams[b].AsSpan(layout.Offset(0), layout[0].StreamBytes));
            for (var i = 0; i < key.Length; i++)
            {
                key[i] = (100 * b) + i; // key[l, 0, d] = 100b + 2l + d
            }

            var conv = MemoryMarshal.Cast<byte, float>(streams[b].AsSpan(layout.Offset(1), layout[1].StreamBytes));
            for (var i = 0; i < conv.Length; i++)
            {
                conv[i] = (1000 * b) + i;
            }

            MemoryMarshal.Cast<byte, long>(streams[b].AsSpan(layout.Offset(2), 8))[0] = 7 + b;
        }

        var keyBatch = new float[3 * 3 * 2];
        layout.Stack(0, streams, MemoryMarshal.AsBytes(keyBatch.AsSpan()));
        for (var l = 0; l < 3; l++)
        {
            for (var b = 0; b < 3; b++)
            {
                for (var d = 0; d < 2; d++)
                {
                    Assert.Equal((100 * b) + (2 * l) + d, keyBatch[(((l * 3) + b) * 2) + d]);
                }
            }
        }

        var convBatch = new float[3 * 4];
        layout.Stack(1, streams, MemoryMarshal.AsBytes(convBatch.AsSpan()));
        Assert.Equal([0f, 1, 2, 3, 1000, 1001, 1002, 1003, 2000, 2001, 2002, 2003], convBatch);

        var lensBatch = new long[3];
        layout.Stack(2, streams, MemoryMarshal.AsBytes(lensBatch.AsSpan()));
        Assert.Equal([7L, 8, 9], lensBatch);

        var copies = new byte[3][];
        for (var b = 0; b < 3; b++)
        {
            copies[b] = layout.CreateInitialStates();
        }

        layout.Split(0, MemoryMarshal.AsBytes(keyBatch.AsSpan()), copies);
        layout.Split(1, MemoryMarshal.AsBytes(convBatch.AsSpan()), copies);
        layout.Split(2, MemoryMarshal.AsBytes(lensBatch.AsSpan()), copies);
        for (var b = 0; b < 3; b++)
        {
            Assert.Equal(streams[b], copies[b]);
        }
    }

    [Fact]
    public void StreamBufferHoldsEveryStateBackToBack()
    {
        var layout = Layout();
        Assert.Equal(0, layout.Offset(0));
        Assert.Equal(24, layout.Offset(1));
        Assert.Equal(40, layout.Offset(2));
        Assert.Equal(48, layout.StreamBytes);
        Assert.Equal([3L, 5, 2], layout[0].BatchShape(5));
    }
}
