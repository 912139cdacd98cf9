using WebRtcAsr.Speech.Onnx;

namespace WebRtcAsr.Speech.Transducer;

/// <summary>
/// Builds the state layout of a streaming encoder: the per-stream shapes follow sherpa-onnx (computed from the
/// model's metadata), and each state's batch axis is the dimension that carries the same symbolic name as the
/// batch dimension of the features input — so states are batched however the export arranged them.
/// </summary>
internal static class EncoderStateLayoutFactory
{
    public static EncoderStateLayout Create(
        TransducerModelType type,
        ModelMetadata metadata,
        IReadOnlyList<OnnxTensorInfo> inputs,
        IReadOnlyList<OnnxTensorInfo> outputs,
        int featureDim)
    {
        var file = metadata.FilePath;
        if (inputs.Count < 2 || outputs.Count != inputs.Count)
        {
            throw new TransducerModelException(file, $"a streaming encoder needs features plus states as inputs and encoder_out plus the same states as outputs; it has {inputs.Count} inputs and {outputs.Count} outputs");
        }

        var features = inputs[0];
        if (features.Shape.Length != 3)
        {
            throw new TransducerModelException(file, $"input '{features.Name}' must be (N, T, C), it has rank {features.Shape.Length}");
        }

        var batchName = features.SymbolicDims.Length > 0 ? features.SymbolicDims[0] : string.Empty;
        var expected = ExpectedShapes(type, metadata, featureDim);
        if (expected.Count != inputs.Count - 1)
        {
            throw new TransducerModelException(file, $"the metadata describes {expected.Count} state tensors but the encoder has {inputs.Count - 1} state inputs");
        }

        var tensors = new List<EncoderStateTensor>(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var info = inputs[i + 1];
            var (shape, elementType) = expected[i];
            if (info.Shape.Length != shape.Length)
            {
                throw new TransducerModelException(file, $"state input '{info.Name}' has rank {info.Shape.Length}, expected {shape.Length} ({Format(shape)})");
            }

            if (info.ElementType != elementType)
            {
                throw new TransducerModelException(file, $"state input '{info.Name}' has element type {info.ElementType}, expected {elementType}");
            }

            var axis = FindBatchAxis(file, info, batchName);
            if (shape[axis] != 1)
            {
                throw new TransducerModelException(file, $"state input '{info.Name}': its batch dimension is axis {axis}, but the state layout {Format(shape)} has no batch dimension there");
            }

            for (var d = 0; d < shape.Length; d++)
            {
                if (d != axis && info.Shape[d] > 0 && info.Shape[d] != shape[d])
                {
                    throw new TransducerModelException(file, $"state input '{info.Name}' has shape {Format(info.Shape)}, but the metadata gives {Format(shape)}");
                }
            }

            tensors.Add(new EncoderStateTensor(info.Name, outputs[i + 1].Name, elementType, shape, axis));
        }

        return new EncoderStateLayout(tensors);
    }

    /// <summary>Per-stream state shapes (batch 1) and element types, in the encoder's input order, as sherpa-onnx makes them.</summary>
    public static List<(long[] Shape, OnnxElementType Type)> ExpectedShapes(TransducerModelType type, ModelMetadata metadata, int featureDim)
    {
        var result = new List<(long[], OnnxElementType)>();
        if (type == TransducerModelType.Lstm)
        {
            var layers = metadata.GetInt("num_encoder_layers");
            var dModel = metadata.GetInt("d_model");
            var hidden = metadata.GetInt("rnn_hidden_size");
            result.Add(([layers, 1, dModel], OnnxElementType.Float));
            result.Add(([layers, 1, hidden], OnnxElementType.Float));
            return result;
        }

        if (type == TransducerModelType.Zipformer)
        {
            return ZipformerShapes(metadata);
        }

        var encoderDims = metadata.GetIntList("encoder_dims");
        var queryHeadDims = metadata.GetIntList("query_head_dims");
        var valueHeadDims = metadata.GetIntList("value_head_dims");
        var numHeads = metadata.GetIntList("num_heads");
        var numLayers = metadata.GetIntList("num_encoder_layers");
        var kernels = metadata.GetIntList("cnn_module_kernels");
        var leftContext = metadata.GetIntList("left_context_len");
        var stacks = encoderDims.Length;
        foreach (var (name, list) in new[] { ("query_head_dims", queryHeadDims), ("value_head_dims", valueHeadDims), ("num_heads", numHeads), ("num_encoder_layers", numLayers), ("cnn_module_kernels", kernels), ("left_context_len", leftContext) })
        {
            if (list.Length != stacks)
            {
                throw new TransducerModelException(metadata.FilePath, $"metadata '{name}' has {list.Length} entries but 'encoder_dims' has {stacks}");
            }
        }

        for (var i = 0; i < stacks; i++)
        {
            long keyDim = queryHeadDims[i] * numHeads[i];
            long valueDim = valueHeadDims[i] * numHeads[i];
            long nonlinDim = 3 * encoderDims[i] / 4;
            for (var j = 0; j < numLayers[i]; j++)
            {
                result.Add(([leftContext[i], 1, keyDim], OnnxElementType.Float));            // cached_key
                result.Add(([1, 1, leftContext[i], nonlinDim], OnnxElementType.Float));      // cached_nonlin_attn
                result.Add(([leftContext[i], 1, valueDim], OnnxElementType.Float));          // cached_val1
                result.Add(([leftContext[i], 1, valueDim], OnnxElementType.Float));          // cached_val2
                result.Add(([1, encoderDims[i], kernels[i] / 2], OnnxElementType.Float));    // cached_conv1
                result.Add(([1, encoderDims[i], kernels[i] / 2], OnnxElementType.Float));    // cached_conv2
            }
        }

        long embedDim = (((featureDim - 1) / 2) - 1) / 2;
        result.Add(([1, 128, 3, embedDim], OnnxElementType.Float)); // embed_states
        result.Add(([1], OnnxElementType.Int64));                    // processed_lens
        return result;
    }

    /// <summary>
    /// The first streaming Zipformer: per encoder stack i, seven tensors whose axis 0 holds the stack's
    /// num_encoder_layers[i] layers; the encoder takes every stack's cached_len, then every stack's cached_avg,
    /// and so on (sherpa-onnx's GetEncoderInitStates order). cached_val and cached_val2 hold attention_dims/2
    /// values and the conv caches cnn_module_kernels-1 frames.
    /// </summary>
    private static List<(long[] Shape, OnnxElementType Type)> ZipformerShapes(ModelMetadata metadata)
    {
        var encoderDims = metadata.GetIntList("encoder_dims");
        var attentionDims = metadata.GetIntList("attention_dims");
        var numLayers = metadata.GetIntList("num_encoder_layers");
        var kernels = metadata.GetIntList("cnn_module_kernels");
        var leftContext = metadata.GetIntList("left_context_len");
        var stacks = encoderDims.Length;
        foreach (var (name, list) in new[] { ("attention_dims", attentionDims), ("num_encoder_layers", numLayers), ("cnn_module_kernels", kernels), ("left_context_len", leftContext) })
        {
            if (list.Length != stacks)
            {
                throw new TransducerModelException(metadata.FilePath, $"metadata '{name}' has {list.Length} entries but 'encoder_dims' has {stacks}");
            }
        }

        var result = new List<(long[], OnnxElementType)>(7 * stacks);
        for (var i = 0; i < stacks; i++)
        {
            result.Add(([numLayers[i], 1], OnnxElementType.Int64));                                         // cached_len
        }

        for (var i = 0; i < stacks; i++)
        {
            result.Add(([numLayers[i], 1, encoderDims[i]], OnnxElementType.Float));                         // cached_avg
        }

        for (var i = 0; i < stacks; i++)
        {
            result.Add(([numLayers[i], leftContext[i], 1, attentionDims[i]], OnnxElementType.Float));       // cached_key
        }

        for (var k = 0; k < 2; k++)
        {
            for (var i = 0; i < stacks; i++)
            {
                result.Add(([numLayers[i], leftContext[i], 1, attentionDims[i] / 2], OnnxElementType.Float)); // cached_val, cached_val2
            }
        }

        for (var k = 0; k < 2; k++)
        {
            for (var i = 0; i < stacks; i++)
            {
                result.Add(([numLayers[i], 1, encoderDims[i], kernels[i] - 1], OnnxElementType.Float));     // cached_conv1, cached_conv2
            }
        }

        return result;
    }

    private static int FindBatchAxis(string file, OnnxTensorInfo info, string batchName)
    {
        var found = -1;
        for (var d = 0; d < info.Shape.Length; d++)
        {
            var symbolic = d < info.SymbolicDims.Length ? info.SymbolicDims[d] : string.Empty;
            var isBatch = batchName.Length > 0 ? symbolic == batchName : info.Shape[d] < 0;
            if (!isBatch)
            {
                continue;
            }

            if (found >= 0)
            {
                throw new TransducerModelException(file, $"state input '{info.Name}' has more than one candidate batch dimension ({Format(info.Shape)})");
            }

            found = d;
        }

        if (found < 0)
        {
            var what = batchName.Length > 0 ? $"no dimension named '{batchName}' (the batch dimension of the features input)" : "no dynamic dimension";
            throw new TransducerModelException(file, $"state input '{info.Name}' has {what}, so states of several streams cannot be batched");
        }

        return found;
    }

    private static string Format(long[] shape) => "(" + string.Join(", ", shape) + ")";
}
