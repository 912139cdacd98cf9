using Microsoft.Extensions.Logging;
using WebRtcAsr.Speech.Features;
using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Recognition;

/// <summary>
/// Streaming recognition on a <see cref="TransducerModel"/>, computing what sherpa-onnx's online transducer
/// recognizer computes: chunks of T feature frames advanced by decode_chunk_len, encoder states carried across
/// chunks, greedy or modified beam search, sherpa's endpoint rules and reset. Ready streams of many callers are
/// decoded in one batched encoder call by <see cref="DecodeStreams"/>; its buffers are preallocated per batch size,
/// so a steady-state chunk allocates no managed memory. Decode calls are serialised internally.
/// </summary>
public sealed class OnlineRecognizer : IDisposable
{
    private static readonly float[] Silence = new float[1600];
    private readonly object gate = new();
    private readonly TransducerModel model;
    private readonly OnnxTransducerPredictor predictor;
    private readonly TransducerSearch search;
    private readonly EncoderBatchBuffers buffers;
    private readonly byte[][] batchStates;
    private readonly TransducerSearchState[] batchSearch;
    private readonly OnnxRunPlan encoderPlan;
    private bool disposed;
    private bool ownsModel;

    public OnlineRecognizer(TransducerModel model, OnlineRecognizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnlineRecognizerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Beam, 1);
        if (options.Fbank.NumBins != model.FeatureDim)
        {
            throw new ArgumentException($"the front end makes {options.Fbank.NumBins} bins per frame but the encoder {model.Paths.Encoder} takes {model.FeatureDim}", nameof(options));
        }

        this.model = model;
        Options = options;
        predictor = new OnnxTransducerPredictor(model, MaxPredictorRows(options));
        search = options.DecodingMethod == DecodingMethod.ModifiedBeamSearch
            ? new ModifiedBeamSearch(predictor, model.Tokens.UnknownId, options.Beam, options.ConfidenceTemperature)
            : new GreedySearch(predictor, model.Tokens.UnknownId, options.ConfidenceTemperature);
        buffers = new EncoderBatchBuffers(model, options.MaxBatchSize);
        batchStates = new byte[options.MaxBatchSize][];
        batchSearch = new TransducerSearchState[options.MaxBatchSize];
        var layout = model.StateLayout;
        var inputNames = new string[layout.Count + 1];
        var outputNames = new string[layout.Count + 1];
        inputNames[0] = model.Encoder.Inputs[0].Name;
        outputNames[0] = model.Encoder.Outputs[0].Name;
        for (var i = 0; i < layout.Count; i++)
        {
            inputNames[i + 1] = layout[i].InputName;
            outputNames[i + 1] = layout[i].OutputName;
        }

        encoderPlan = model.Encoder.CreateRunPlan(inputNames, outputNames);
        TailPaddingMs = options.TailPaddingMs ?? Math.Max(660, (model.ChunkSize + 2) * 10);
    }

    /// <summary>Loads a model and makes a recognizer that owns it (disposing the recognizer disposes the model).</summary>
    public static OnlineRecognizer Load(
        TransducerModelPaths paths,
        OnlineRecognizerOptions? options = null,
        OnnxSessionOptions? sessionOptions = null,
        ILogger? logger = null)
    {
        var model = TransducerModel.Load(paths, sessionOptions, logger);
        try
        {
            return new OnlineRecognizer(model, options) { ownsModel = true };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model.</summary>
    public TransducerModel Model => model;

    /// <summary>The options.</summary>
    public OnlineRecognizerOptions Options { get; }

    /// <summary>Silence <see cref="Finalize"/> appends, in milliseconds.</summary>
    public int TailPaddingMs { get; }

    /// <summary>A new stream with zeroed encoder states and an empty hypothesis.</summary>
    public OnlineStream CreateStream()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return new OnlineStream(this, new OnlineFbank(Options.Fbank), model.StateLayout.CreateInitialStates(), search.CreateState());
        }
    }

    /// <summary>
    /// Makes the tensors of every batch size and row count now (they view buffers sized for the largest batch,
    /// which exist from construction), so that no decode call allocates, not even the first of each size.
    /// </summary>
    public void WarmUp()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            for (var n = 1; n <= Options.MaxBatchSize; n++)
            {
                buffers.For(n);
            }

            predictor.Reserve(MaxPredictorRows(Options));
            search.Reserve(Options.MaxBatchSize);
        }
    }

    /// <summary>Whether the stream has a full chunk to decode (sherpa: processed + T &lt; frames ready).</summary>
    public bool IsReady(OnlineStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.ProcessedFrames + model.ChunkSize < stream.FramesReady;
    }

    /// <summary>Decodes one chunk of one ready stream.</summary>
    public void DecodeStream(OnlineStream stream) => DecodeStreams([stream]);

    /// <summary>
    /// Decodes one chunk of each stream, all in one batched encoder call (batches above MaxBatchSize are split).
    /// Every stream must be ready and made by this recognizer, and appear once.
    /// </summary>
    public void DecodeStreams(ReadOnlySpan<OnlineStream> streams)
    {
        for (var i = 0; i < streams.Length; i++)
        {
            var s = streams[i];
            ArgumentNullException.ThrowIfNull(s, nameof(streams));
            for (var j = 0; j < i; j++)
            {
                if (ReferenceEquals(streams[j], s))
                {
                    throw new ArgumentException("a stream appears twice in one batch", nameof(streams));
                }
            }

            if (s.Owner != this)
            {
                throw new ArgumentException("a stream was made by another recognizer", nameof(streams));
            }

            if (!IsReady(s))
            {
                throw new InvalidOperationException("a stream is not ready (check IsReady before decoding)");
            }
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            while (streams.Length > 0)
            {
                var n = Math.Min(streams.Length, Options.MaxBatchSize);
                DecodeBatch(streams[..n]);
                streams = streams[n..];
            }
        }
    }

    /// <summary>Decodes every chunk the stream has ready; returns how many.</summary>
    public int DecodeAvailable(OnlineStream stream)
    {
        var chunks = 0;
        while (IsReady(stream))
        {
            DecodeStream(stream);
            chunks++;
        }

        return chunks;
    }

    /// <summary>Whether one of the endpoint rules fires for the stream's current segment.</summary>
    public bool IsEndpoint(OnlineStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var trailingFrames = search.Best(stream.Search).NumTrailingBlanks * model.SubsamplingFactor;
        return EndpointDetector.FiredRule(Options.Endpoint, stream.ProcessedFrames, trailingFrames) != 0;
    }

    /// <summary>
    /// Starts the stream's next segment after an endpoint, as sherpa-onnx does: the segment counter advances if
    /// tokens were decoded, the search keeps the last tokens as decoder context, encoder states and audio are kept,
    /// and timestamps restart from the segment's first frame.
    /// </summary>
    public void Reset(OnlineStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        lock (gate)
        {
            var best = search.Best(stream.Search);
            if (best.Ys.Count > model.ContextSize && best.Ys[^1] != 0)
            {
                stream.Segment++;
            }

            search.ResetForNextSegment(stream.Search);
            stream.SegmentStartFrame += stream.ProcessedFrames;
            stream.ProcessedFrames = 0;
        }
    }

    /// <summary>
    /// Ends the stream: appends <see cref="TailPaddingMs"/> of silence so the last word gets decoded, closes the
    /// input, decodes every remaining chunk and returns the final result.
    /// </summary>
    public RecognitionResult Finalize(OnlineStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.IsInputFinished)
        {
            var samples = (long)TailPaddingMs * Options.Fbank.SampleRate / 1000;
            while (samples > 0)
            {
                var n = (int)Math.Min(samples, Silence.Length);
                stream.AcceptWaveform(Silence.AsSpan(0, n));
                samples -= n;
            }

            stream.InputFinished();
        }

        DecodeAvailable(stream);
        return GetResult(stream, isFinal: true, out _);
    }

    /// <summary>
    /// The stream's current result. While the hypothesis is unchanged this is the same object as last time and
    /// nothing is allocated; when it changed, only the changed part is made anew.
    /// </summary>
    public RecognitionResult GetResult(OnlineStream stream) => GetResult(stream, isFinal: false, out _);

    /// <summary>
    /// The stream's current result, and whether it differs from the one the previous call for this stream returned
    /// (when <paramref name="changed"/> is false it is that same object, and the call allocated nothing).
    /// </summary>
    public RecognitionResult GetResult(OnlineStream stream, out bool changed) => GetResult(stream, isFinal: false, out changed);

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            buffers.Dispose();

            predictor.Dispose();
            if (ownsModel)
            {
                model.Dispose();
            }
        }
    }

    // Beam search: a stream holds up to Beam + 1 paths right after an endpoint reset (see ModifiedBeamSearch).
    private static int MaxPredictorRows(OnlineRecognizerOptions options) =>
        options.MaxBatchSize * (options.DecodingMethod == DecodingMethod.ModifiedBeamSearch ? options.Beam + 1 : 1);

    private RecognitionResult GetResult(OnlineStream stream, bool isFinal, out bool changed)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // Reads only the stream's own state, which its owner does not decode concurrently: no lock needed.
        return stream.Results.Build(search.Best(stream.Search), model, stream.Segment, stream.SegmentStartFrame, isFinal, out changed);
    }

    private void DecodeBatch(ReadOnlySpan<OnlineStream> streams)
    {
        var n = streams.Length;
        var b = buffers.For(n);
        var chunk = model.ChunkSize;
        var dim = model.FeatureDim;
        var features = b.Features.Span;
        for (var i = 0; i < n; i++)
        {
            var s = streams[i];
            var first = s.SegmentStartFrame + s.ProcessedFrames;
            for (var f = 0; f < chunk; f++)
            {
                s.Fbank.GetFrame(first + f, features.Slice(((i * chunk) + f) * dim, dim));
            }

            s.ProcessedFrames += model.ChunkShift;
            batchStates[i] = s.States;
            batchSearch[i] = s.Search;
        }

        var layout = model.StateLayout;
        var states = batchStates.AsSpan(0, n);
        for (var k = 0; k < layout.Count; k++)
        {
            layout.Stack(k, states, b.StateIn(k));
        }

        encoderPlan.Run(b.Inputs, b.Outputs);
        search.Decode(b.EncoderOut.Span, model.EncoderFramesPerChunk, batchSearch.AsSpan(0, n));
        for (var k = 0; k < layout.Count; k++)
        {
            layout.Split(k, b.StateOut(k), states);
        }

        for (var i = 0; i < n; i++)
        {
            var s = streams[i];
            s.Fbank.DropFramesBefore(s.SegmentStartFrame + s.ProcessedFrames);
            batchStates[i] = null!;
            batchSearch[i] = null!;
        }
    }
}
