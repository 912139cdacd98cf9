using Microsoft.Extensions.Logging;
using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// A streaming transducer in sherpa-onnx's ONNX layout (encoder, decoder, joiner, tokens.txt), loaded and
/// checked: model type from the encoder's "model_type" metadata, chunk sizes, context size, vocabulary,
/// and the layout of the encoder's cached states. Thread-safe to share; streams and decoding buffers live elsewhere.
/// </summary>
public sealed class TransducerModel : IDisposable
{
    private TransducerModel(
        TransducerModelPaths paths,
        TransducerModelType type,
        TokenTable tokens,
        OnnxSession encoder,
        OnnxSession decoder,
        OnnxSession joiner,
        EncoderStateLayout stateLayout)
    {
        Paths = paths;
        ModelType = type;
        Tokens = tokens;
        Encoder = encoder;
        Decoder = decoder;
        Joiner = joiner;
        StateLayout = stateLayout;
    }

    /// <summary>The files the model was loaded from.</summary>
    public TransducerModelPaths Paths { get; }

    /// <summary>The encoder architecture.</summary>
    public TransducerModelType ModelType { get; }

    /// <summary>The vocabulary.</summary>
    public TokenTable Tokens { get; }

    /// <summary>Feature frames the encoder takes per call ("T", including its right context).</summary>
    public int ChunkSize { get; private set; }

    /// <summary>Feature frames a call advances the stream by ("decode_chunk_len").</summary>
    public int ChunkShift { get; private set; }

    /// <summary>Tokens of left context the decoder (prediction network) sees.</summary>
    public int ContextSize { get; private set; }

    /// <summary>Joiner output size (number of tokens, blank = 0 included).</summary>
    public int VocabSize { get; private set; }

    /// <summary>Fbank bins per feature frame.</summary>
    public int FeatureDim { get; private set; }

    /// <summary>Encoder output frames per call.</summary>
    public int EncoderFramesPerChunk { get; private set; }

    /// <summary>Size of one encoder output frame (the joiner's encoder input).</summary>
    public int EncoderDim { get; private set; }

    /// <summary>Size of one decoder output (the joiner's decoder input).</summary>
    public int DecoderDim { get; private set; }

    /// <summary>Feature frames per encoder output frame; sherpa-onnx uses 4 for timestamps of every transducer.</summary>
    public int SubsamplingFactor => 4;

    /// <summary>The execution provider the encoder runs on.</summary>
    public string ExecutionProvider => Encoder.ExecutionProvider;

    internal OnnxSession Encoder { get; }

    internal OnnxSession Decoder { get; }

    internal OnnxSession Joiner { get; }

    internal EncoderStateLayout StateLayout { get; }

    /// <summary>
    /// Loads and checks a model. Any missing or corrupt file, missing or wrong metadata, or a vocabulary that does
    /// not match the joiner throws one <see cref="TransducerModelException"/> that names the file and the problem.
    /// </summary>
    public static TransducerModel Load(TransducerModelPaths paths, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new OnnxSessionOptions();
        var tokens = TokenTable.Load(paths.Tokens);
        OnnxSession? encoder = null;
        OnnxSession? decoder = null;
        OnnxSession? joiner = null;
        try
        {
            encoder = Open(paths.Encoder, options, logger);
            var encoderMeta = new ModelMetadata(paths.Encoder, encoder.Metadata);
            var type = ParseModelType(encoderMeta);
            decoder = Open(paths.Decoder, options, logger);
            joiner = Open(paths.Joiner, options, logger);
            var decoderMeta = new ModelMetadata(paths.Decoder, decoder.Metadata);

            var features = encoder.Inputs.Count > 0 ? encoder.Inputs[0] : null;
            var featureDim = features is { Shape.Length: 3 } && features.Shape[2] > 0 ? (int)features.Shape[2] : 80;
            var layout = EncoderStateLayoutFactory.Create(type, encoderMeta, encoder.Inputs, encoder.Outputs, featureDim);
            var model = new TransducerModel(paths, type, tokens, encoder, decoder, joiner, layout)
            {
                ChunkSize = encoderMeta.GetInt("T"),
                ChunkShift = encoderMeta.GetInt("decode_chunk_len"),
                ContextSize = decoderMeta.GetInt("context_size"),
                VocabSize = decoderMeta.GetInt("vocab_size"),
                FeatureDim = featureDim,
            };
            if (model.ChunkShift > model.ChunkSize)
            {
                throw new TransducerModelException(paths.Encoder, $"metadata decode_chunk_len ({model.ChunkShift}) exceeds T ({model.ChunkSize})");
            }

            model.Probe();
            if (tokens.Count != model.VocabSize)
            {
                throw new TransducerModelException(paths.Tokens, $"has {tokens.Count} tokens but the joiner {paths.Joiner} has vocab_size {model.VocabSize}");
            }

            logger?.LogInformation(
                "Loaded {Type} transducer {Encoder}: T={T} shift={Shift} context={Context} vocab={Vocab} states={States} on {Provider}",
                type, paths.Encoder, model.ChunkSize, model.ChunkShift, model.ContextSize, model.VocabSize, layout.Count, encoder.ExecutionProvider);
            return model;
        }
        catch
        {
            encoder?.Dispose();
            decoder?.Dispose();
            joiner?.Dispose();
            throw;
        }
    }

    /// <summary>Reads sherpa-onnx's "model_type" metadata; throws naming the file when it is missing or unsupported.</summary>
    internal static TransducerModelType ParseModelType(ModelMetadata metadata)
    {
        var value = metadata.GetString("model_type");
        return value switch
        {
            null or "" => throw new TransducerModelException(metadata.FilePath, "no 'model_type' in the metadata (export the model with icefall's export-onnx script, which writes it)"),
            "zipformer2" => TransducerModelType.Zipformer2,
            "lstm" => TransducerModelType.Lstm,
            "zipformer" => TransducerModelType.Zipformer,
            _ => throw new TransducerModelException(metadata.FilePath, $"model_type '{value}' is not supported (supported: zipformer2, zipformer, lstm)"),
        };
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        Joiner.Dispose();
    }

    private static OnnxSession Open(string path, OnnxSessionOptions options, ILogger? logger)
    {
        if (!File.Exists(path))
        {
            throw new TransducerModelException(path, "model file not found");
        }

        try
        {
            return OnnxSession.Load(path, options, logger);
        }
        catch (OnnxRuntimeNotFoundException)
        {
            throw;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new TransducerModelException(path, "cannot load the ONNX model: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Runs each network once on zeros (batch 1) to learn the output sizes, and checks that the encoder
    /// gives its states back with the shapes it takes them in.
    /// </summary>
    private void Probe()
    {
        var layout = StateLayout;
        var inputs = new OnnxValue[1 + layout.Count];
        try
        {
            inputs[0] = new OnnxTensor<float>([1, ChunkSize, FeatureDim]);
            for (var i = 0; i < layout.Count; i++)
            {
                inputs[i + 1] = EncoderBatchBuffers.CreateTensor(layout[i], 1);
            }

            var inputNames = new string[inputs.Length];
            var outputNames = new string[inputs.Length];
            inputNames[0] = Encoder.Inputs[0].Name;
            outputNames[0] = Encoder.Outputs[0].Name;
            for (var i = 0; i < layout.Count; i++)
            {
                inputNames[i + 1] = layout[i].InputName;
                outputNames[i + 1] = layout[i].OutputName;
            }

            using (var outputs = Run(Paths.Encoder, Encoder, inputNames, outputNames, inputs))
            {
                var encoderOut = outputs[0].Shape;
                if (encoderOut.Length != 3 || encoderOut[0] != 1 || encoderOut[1] <= 0 || encoderOut[2] <= 0)
                {
                    throw new TransducerModelException(Paths.Encoder, $"output '{outputNames[0]}' must be (N, T', C), got ({string.Join(", ", encoderOut.ToArray())})");
                }

                EncoderFramesPerChunk = (int)encoderOut[1];
                EncoderDim = (int)encoderOut[2];
                for (var i = 0; i < layout.Count; i++)
                {
                    if (!outputs[i + 1].Shape.SequenceEqual(layout[i].StreamShape))
                    {
                        throw new TransducerModelException(Paths.Encoder, $"state output '{layout[i].OutputName}' has shape ({string.Join(", ", outputs[i + 1].Shape.ToArray())}), but its input '{layout[i].InputName}' has ({string.Join(", ", layout[i].StreamShape)})");
                    }
                }
            }
        }
        finally
        {
            foreach (var v in inputs)
            {
                v?.Dispose();
            }
        }

        if (Decoder.Inputs.Count != 1 || Decoder.Outputs.Count < 1)
        {
            throw new TransducerModelException(Paths.Decoder, $"the decoder must have one input (N, context_size) and an output (N, C); it has {Decoder.Inputs.Count} inputs");
        }

        using (var y = new OnnxTensor<long>([1, ContextSize]))
        using (var outputs = Run(Paths.Decoder, Decoder, [Decoder.Inputs[0].Name], [Decoder.Outputs[0].Name], [y]))
        {
            var shape = outputs[0].Shape;
            if (shape.Length != 2 || shape[0] != 1 || shape[1] <= 0)
            {
                throw new TransducerModelException(Paths.Decoder, $"output '{Decoder.Outputs[0].Name}' must be (N, C), got ({string.Join(", ", shape.ToArray())})");
            }

            DecoderDim = (int)shape[1];
        }

        if (Joiner.Inputs.Count != 2 || Joiner.Outputs.Count < 1)
        {
            throw new TransducerModelException(Paths.Joiner, $"the joiner must have two inputs (encoder_out, decoder_out) and an output; it has {Joiner.Inputs.Count} inputs");
        }

        using (var e = new OnnxTensor<float>([1, EncoderDim]))
        using (var d = new OnnxTensor<float>([1, DecoderDim]))
        using (var outputs = Run(Paths.Joiner, Joiner, [Joiner.Inputs[0].Name, Joiner.Inputs[1].Name], [Joiner.Outputs[0].Name], [e, d]))
        {
            var shape = outputs[0].Shape;
            if (shape.Length != 2 || shape[0] != 1)
            {
                throw new TransducerModelException(Paths.Joiner, $"output '{Joiner.Outputs[0].Name}' must be (N, vocab_size), got ({string.Join(", ", shape.ToArray())})");
            }

            if (shape[1] != VocabSize)
            {
                throw new TransducerModelException(Paths.Joiner, $"outputs {shape[1]} logits but the decoder {Paths.Decoder} has vocab_size {VocabSize}");
            }
        }
    }

    private static OnnxOutputs Run(string path, OnnxSession session, string[] inputNames, string[] outputNames, OnnxValue[] inputs)
    {
        try
        {
            return session.CreateRunPlan(inputNames, outputNames).Run(inputs);
        }
        catch (OnnxRuntimeException ex) when (ex is not OnnxRuntimeNotFoundException)
        {
            throw new TransducerModelException(path, "a test run on zeros failed: " + ex.Message, ex);
        }
    }
}
