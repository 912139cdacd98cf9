namespace WebRtcAsr.Speech.Features;

/// <summary>
/// Streaming Kaldi log-mel filterbank, the front end sherpa-onnx runs for its online transducer models
/// (kaldi-native-fbank's <c>OnlineFbank</c>). Accepts audio in chunks of any length and computes each
/// frame as soon as the samples it covers have arrived; the frames are identical, bit for bit, whatever
/// the chunking. With <see cref="FbankOptions.SnipEdges"/> false the first frame is reflected at the
/// start of the signal and <see cref="InputFinished"/> adds the last frames, reflected at the end.
/// <para>
/// Memory is bounded: only the samples the next frame needs are kept, and computed frames stay until the
/// caller releases them with <see cref="DropFramesBefore"/> (at most <see cref="FbankOptions.MaxRetainedFrames"/>;
/// beyond that the oldest are discarded and counted in <see cref="DiscardedFrames"/>). No allocation per call
/// once the frame store has grown to the caller's working set. Not thread-safe: one owner per stream.
/// </para>
/// <para>
/// Samples are expected in [-1, 1]. NaN becomes 0 and ±∞ or anything beyond ±<see cref="MaxAbsSample"/>
/// is clamped to ±<see cref="MaxAbsSample"/>, counted in <see cref="SanitisedSamples"/>: bad audio
/// yields finite (if meaningless) features instead of poisoning the model with NaN, and never throws.
/// </para>
/// </summary>
public sealed class OnlineFbank
{
    /// <summary>Largest sample magnitude accepted as is; 60 dB above full scale, far beyond any real audio.</summary>
    public const float MaxAbsSample = 1000f;

    // Input is appended in blocks of at most this many samples, so the sample buffer never grows.
    private const int InputBlock = 2048;

    private readonly FbankOptions _options;
    private readonly FbankFrameComputer _computer;
    private readonly FrameLayout _layout;
    private readonly float[] _samples;
    private long _sampleOffset;
    private int _sampleCount;
    private float[] _frames;
    private int _frameCapacity;
    private int _firstRetained;
    private int _numFrames;
    private bool _inputFinished;

    /// <summary>Creates a stream; throws <see cref="ArgumentException"/> for unusable options.</summary>
    public OnlineFbank(FbankOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? problem = options.Validate();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _computer = new FbankFrameComputer(options);
        _layout = new FrameLayout(options.WindowShift, options.WindowSize, options.SnipEdges);
        _samples = new float[options.WindowSize + InputBlock];
        _frameCapacity = 16;
        _frames = new float[_frameCapacity * _computer.Dim];
    }

    /// <summary>Feature dimension (the number of mel bins, 80).</summary>
    public int Dim => _computer.Dim;

    /// <summary>Number of frames computed so far (frame indices run from 0, the stream start).</summary>
    public int NumFramesReady => _numFrames;

    /// <summary>Oldest frame still held; frames before it were released or discarded.</summary>
    public int FirstRetainedFrame => _firstRetained;

    /// <summary>Frames discarded unread because more than <see cref="FbankOptions.MaxRetainedFrames"/> were held.</summary>
    public long DiscardedFrames { get; private set; }

    /// <summary>Samples replaced because they were NaN, infinite or beyond ±<see cref="MaxAbsSample"/>.</summary>
    public long SanitisedSamples { get; private set; }

    /// <summary>True once <see cref="InputFinished"/> was called.</summary>
    public bool IsInputFinished => _inputFinished;

    /// <summary>
    /// Appends samples (in [-1, 1], at <see cref="FbankOptions.SampleRate"/>) and computes every frame they
    /// complete. Throws <see cref="InvalidOperationException"/> after <see cref="InputFinished"/>.
    /// </summary>
    public void AcceptWaveform(ReadOnlySpan<float> samples)
    {
        if (_inputFinished)
        {
            throw new InvalidOperationException("AcceptWaveform after InputFinished.");
        }

        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, _samples.Length - _sampleCount);
            CopyIn(samples[..take], _samples.AsSpan(_sampleCount, take));
            _sampleCount += take;
            samples = samples[take..];
            ComputeFrames(flush: false);
        }
    }

    /// <summary>
    /// Declares the end of the input: computes the remaining frames (with snip_edges = false, the last one
    /// or two, reflected at the end) and makes <see cref="IsLastFrame"/> answer. Calling it again does nothing.
    /// </summary>
    public void InputFinished()
    {
        if (_inputFinished)
        {
            return;
        }

        _inputFinished = true;
        ComputeFrames(flush: true);
    }

    /// <summary>True only after <see cref="InputFinished"/>, for the last frame (never when there are none).</summary>
    public bool IsLastFrame(int frame) => _inputFinished && frame >= 0 && frame == _numFrames - 1;

    /// <summary>
    /// Copies frame <paramref name="frame"/> (absolute index) into <paramref name="destination"/> (at least
    /// <see cref="Dim"/> long). The frame must be ready and not released: see <see cref="FirstRetainedFrame"/>.
    /// </summary>
    public void GetFrame(int frame, Span<float> destination)
    {
        if (frame < _firstRetained || frame >= _numFrames)
        {
            throw new ArgumentOutOfRangeException(
                nameof(frame), frame, $"Frames held: {_firstRetained}..{_numFrames - 1}.");
        }

        if (destination.Length < Dim)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; a frame has {Dim}.", nameof(destination));
        }

        _frames.AsSpan(Slot(frame), Dim).CopyTo(destination);
    }

    /// <summary>
    /// Releases the frames before <paramref name="frame"/>; indices of later frames do not change.
    /// Frames not yet computed are never released (the value is capped at <see cref="NumFramesReady"/>).
    /// </summary>
    public void DropFramesBefore(int frame)
    {
        _firstRetained = Math.Max(_firstRetained, Math.Min(frame, _numFrames));
    }

    /// <summary>Starts a new stream with the same options, keeping the buffers (no allocation).</summary>
    public void Reset()
    {
        _sampleOffset = 0;
        _sampleCount = 0;
        _firstRetained = 0;
        _numFrames = 0;
        _inputFinished = false;
        DiscardedFrames = 0;
        SanitisedSamples = 0;
    }

    private void CopyIn(ReadOnlySpan<float> source, Span<float> destination)
    {
        float scale = _options.InputScale;
        for (int i = 0; i < source.Length; i++)
        {
            float v = source[i];
            if (!(Math.Abs(v) <= MaxAbsSample))
            {
                v = float.IsNaN(v) ? 0f : MathF.CopySign(MaxAbsSample, v);
                SanitisedSamples++;
            }

            // Scaling as sherpa does it (waveform[i] * 32768 in float) when the model wants 16-bit range.
            destination[i] = scale == 1f ? v : v * scale;
        }
    }

    private void ComputeFrames(bool flush)
    {
        long totalSamples = _sampleOffset + _sampleCount;
        int newFrames = checked((int)_layout.NumFrames(totalSamples, flush));
        Span<float> sums = stackalloc float[4];
        Span<int> starts = stackalloc int[4];
        int summedFrom = 0, summed = 0;
        for (int frame = _numFrames; frame < newFrames; frame++)
        {
            // The DC sums of up to four frames inside the held samples are computed together (see SequentialSums).
            if (frame - summedFrom >= summed)
            {
                summedFrom = frame;
                summed = HeldFrameStarts(frame, newFrames, starts);
                if (summed > 0)
                {
                    FbankFrameComputer.SequentialSums(_samples.AsSpan(0, _sampleCount), starts[..summed], _layout.Length, sums);
                }
            }

            ExtractFrame(frame, _computer.FrameBuffer);
            MakeRoomForOneFrame();
            Span<float> features = _frames.AsSpan(Slot(frame), Dim);
            if (frame - summedFrom < summed)
            {
                _computer.Compute(features, sums[frame - summedFrom]);
            }
            else
            {
                _computer.Compute(features);
            }

            _numFrames = frame + 1;
        }

        // Keep only what later frames can need: everything from the next frame's first sample on.
        long discard = _layout.FirstSample(newFrames) - _sampleOffset;
        if (discard > 0)
        {
            if (discard >= _sampleCount)
            {
                _sampleOffset += _sampleCount;
                _sampleCount = 0;
            }
            else
            {
                int keep = _sampleCount - (int)discard;
                _samples.AsSpan((int)discard, keep).CopyTo(_samples);
                _sampleOffset += discard;
                _sampleCount = keep;
            }
        }
    }

    // Where frames first.. (at most four, before 'end') start in the held samples, as long as they lie wholly
    // inside them (the others need ExtractFrame's mirroring); returns how many.
    private int HeldFrameStarts(int first, int end, Span<int> starts)
    {
        int count = 0;
        for (int frame = first; frame < end && count < starts.Length; frame++, count++)
        {
            long start = _layout.FirstSample(frame) - _sampleOffset;
            if (start < 0 || start + _layout.Length > _sampleCount)
            {
                break;
            }

            starts[count] = (int)start;
        }

        return count;
    }

    // Copies the frame's samples; parts outside the held samples are mirrored about their ends
    // (−1 → 0, −2 → 1; n → n−1), which only happens at the very start and, when flushing, the very end.
    private void ExtractFrame(int frame, Span<float> destination)
    {
        long start = _layout.FirstSample(frame) - _sampleOffset;
        if (start >= 0 && start + destination.Length <= _sampleCount)
        {
            _samples.AsSpan((int)start, destination.Length).CopyTo(destination);
            return;
        }

        if (_sampleCount == 0)
        {
            destination.Clear();
            return;
        }

        for (int s = 0; s < destination.Length; s++)
        {
            long index = start + s;
            while (index < 0 || index >= _sampleCount)
            {
                index = index < 0 ? -index - 1 : (2L * _sampleCount) - 1 - index;
            }

            destination[s] = _samples[index];
        }
    }

    private void MakeRoomForOneFrame()
    {
        if (_numFrames - _firstRetained >= _options.MaxRetainedFrames)
        {
            _firstRetained++;
            DiscardedFrames++;
        }

        if (_numFrames - _firstRetained < _frameCapacity)
        {
            return;
        }

        // Grow (doubling) and re-slot the held frames; happens only while the working set grows.
        int newCapacity = _frameCapacity * 2;
        var grown = new float[newCapacity * Dim];
        for (int f = _firstRetained; f < _numFrames; f++)
        {
            _frames.AsSpan(Slot(f), Dim).CopyTo(grown.AsSpan((f & (newCapacity - 1)) * Dim));
        }

        _frames = grown;
        _frameCapacity = newCapacity;
    }

    private int Slot(int frame) => (frame & (_frameCapacity - 1)) * Dim;
}
