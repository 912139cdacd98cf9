using WebRtcAsr.Speech.Onnx;
using Xunit.Abstractions;

namespace WebRtcAsr.Speech.Tests.Onnx;

public class OnnxRunAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public void A_run_into_preallocated_outputs_allocates_no_managed_memory()
    {
        using OnnxSession session = OnnxSession.Load(TestModel.IntOps, new OnnxSessionOptions());
        OnnxRunPlan plan = session.CreateRunPlan(["ids", "offset"], ["doubled", "as_float", "shifted"]);
        using var ids = new OnnxTensor<long>([4, 16]);
        using var offset = new OnnxTensor<int>([1]);
        using var doubled = new OnnxTensor<long>([4, 16]);
        using var asFloat = new OnnxTensor<float>([4, 16]);
        using var shifted = new OnnxTensor<int>([1]);
        OnnxValue[] inputs = [ids, offset];
        OnnxValue[] outputs = [doubled, asFloat, shifted];
        for (int warmUp = 0; warmUp < 20; warmUp++) plan.Run(inputs, outputs);

        const int Runs = 2000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int run = 0; run < Runs; run++)
        {
            ids.Span[0] = run;          // the data changes between runs; the tensors stay
            offset.Span[0] = run;
            plan.Run(inputs, outputs);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"managed bytes allocated over {Runs} runs: {allocated} ({(double)allocated / Runs:0.###} per run)");
        Assert.Equal(0, allocated);
        Assert.Equal((2L * (Runs - 1)), doubled.Span[0]);
        Assert.Equal(Runs - 1 + 5, shifted.Span[0]);
    }
}
