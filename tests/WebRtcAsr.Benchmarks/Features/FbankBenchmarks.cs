using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using WebRtcAsr.Speech.Features;

namespace WebRtcAsr.Benchmarks.Features;

/// <summary>
/// Cost of the log-mel front end: one 20 ms packet through a stream (2 frames, read and released),
/// one frame's computation, and the 512-point FFT alone (BenchmarkDotNet).
/// </summary>
[MemoryDiagnoser]
[BenchmarkSuite("fbank", "Kaldi log-mel filterbank (OnlineFbank): per packet, per frame, FFT")]
public class FbankBenchmarks
{
    private readonly float[] _packet = new float[320];
    private readonly float[] _frame = new float[80];
    private readonly float[] _fftInput = new float[512];
    private readonly float[] _re = new float[257];
    private readonly float[] _im = new float[257];
    private OnlineFbank _fbank = null!;
    private FbankFrameComputer _computer = null!;
    private RealFft _fft = null!;

    public static int Run(string[] args)
    {
        BenchmarkRunner.Run<FbankBenchmarks>(args: args);
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _packet.Length; i++)
        {
            _packet[i] = (float)((random.NextDouble() - 0.5) * 0.2);
        }

        _packet.AsSpan(0, 400 - 80).CopyTo(_fftInput);
        var options = new FbankOptions();
        _fbank = new OnlineFbank(options);
        _computer = new FbankFrameComputer(options);
        _fft = new RealFft(512);
    }

    [Benchmark(Description = "AcceptWaveform 20 ms + read 2 frames")]
    public void StreamPacket()
    {
        _fbank.AcceptWaveform(_packet);
        for (int f = _fbank.FirstRetainedFrame; f < _fbank.NumFramesReady; f++)
        {
            _fbank.GetFrame(f, _frame);
        }

        _fbank.DropFramesBefore(_fbank.NumFramesReady);
    }

    [Benchmark(Description = "one frame (window, FFT, mel, log)")]
    public void ComputeFrame()
    {
        _packet.AsSpan(0, 320).CopyTo(_computer.FrameBuffer);
        _computer.Compute(_frame);
    }

    [Benchmark(Description = "512-point real FFT")]
    public void Fft() => _fft.Forward(_fftInput, _re, _im);
}
