using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class EncoderStateLayoutFactoryTests
{
    private const string File = "encoder.onnx";

    private static Dictionary<string, string> ZipformerMeta() => new()
    {
        ["model_type"] = "zipformer2",
        ["encoder_dims"] = "8",
        ["query_head_dims"] = "2",
        ["value_head_dims"] = "3",
        ["num_heads"] = "2",
        ["num_encoder_layers"] = "1",
        ["cnn_module_kernels"] = "5",
        ["left_context_len"] = "4",
    };

    private static OnnxTensorInfo Info(string name, OnnxElementType type, long[] shape, string[] symbolic) => new(name, type, shape, symbolic);

    private static (List<OnnxTensorInfo> Inputs, List<OnnxTensorInfo> Outputs) ZipformerIo(string batch)
    {
        var f = OnnxElementType.Float;
        var inputs = new List<OnnxTensorInfo>
        {
            Info("x", f, [-1, 45, 80], [batch, "", ""]),
            Info("cached_key_0", f, [4, -1, 4], ["", batch, ""]),
            Info("cached_nonlin_attn_0", f, [1, -1, 4, 6], ["", batch, "", ""]),
            Info("cached_val1_0", f, [4, -1, 6], ["", batch, ""]),
            Info("cached_val2_0", f, [4, -1, 6], ["", batch, ""]),
            Info("cached_conv1_0", f, [-1, 8, 2], [batch, "", ""]),
            Info("cached_conv2_0", f, [-1, 8, 2], [batch, "", ""]),
            Info("embed_states", f, [-1, 128, 3, 19], [batch, "", "", ""]),
            Info("processed_lens", OnnxElementType.Int64, [-1], [batch]),
        };
        var outputs = new List<OnnxTensorInfo> { Info("encoder_out", f, [-1, 8, 16], [batch, "", ""]) };
        foreach (var i in inputs.Skip(1))
        {
            outputs.Add(i with { Name = "new_" + i.Name });
        }

        return (inputs, outputs);
    }

    [Fact]
    public void Zipformer2StatesFollowSherpaShapesAndTheModelsBatchAxes()
    {
        var (inputs, outputs) = ZipformerIo("batch_size");
        var layout = EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, ZipformerMeta()), inputs, outputs, 80);
        Assert.Equal(8, layout.Count);
        Assert.Equal([4L, 1, 4], layout[0].StreamShape);
        Assert.Equal(1, layout[0].BatchAxis);
        Assert.Equal([1L, 1, 4, 6], layout[1].StreamShape);
        Assert.Equal(1, layout[1].BatchAxis);
        Assert.Equal(0, layout[4].BatchAxis);
        Assert.Equal([1L, 128, 3, 19], layout[6].StreamShape);
        Assert.Equal(OnnxElementType.Int64, layout[7].ElementType);
        Assert.Equal("new_cached_key_0", layout[0].OutputName);
    }

    [Fact]
    public void LstmStatesAreBatchedOnTheSymbolicAxis()
    {
        var f = OnnxElementType.Float;
        var inputs = new List<OnnxTensorInfo>
        {
            Info("x", f, [-1, 40, 80], ["N", "", ""]),
            Info("h", f, [2, -1, 16], ["", "N", ""]),
            Info("c", f, [2, -1, 24], ["", "N", ""]),
        };
        var outputs = new List<OnnxTensorInfo> { Info("encoder_out", f, [-1, 8, 16], ["N", "", ""]), Info("next_h", f, [2, -1, 16], ["", "N", ""]), Info("next_c", f, [2, -1, 24], ["", "N", ""]) };
        var meta = new Dictionary<string, string> { ["num_encoder_layers"] = "2", ["d_model"] = "16", ["rnn_hidden_size"] = "24" };
        var layout = EncoderStateLayoutFactory.Create(TransducerModelType.Lstm, new ModelMetadata(File, meta), inputs, outputs, 80);
        Assert.Equal(2, layout.Count);
        Assert.Equal([2L, 1, 24], layout[1].StreamShape);
        Assert.Equal(1, layout[1].BatchAxis);
        Assert.Equal("next_c", layout[1].OutputName);
    }

    [Fact]
    public void MissingMetadataNamesTheFileAndKey()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta.Remove("left_context_len");
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Equal(File, ex.FilePath);
        Assert.Contains("left_context_len", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeThatContradictsTheMetadataIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta["left_context_len"] = "5";
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Contains("cached_key_0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateWithoutTheBatchDimensionIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        inputs[1] = inputs[1] with { Shape = [4, 1, 4], SymbolicDims = ["", "", ""] };
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, ZipformerMeta()), inputs, outputs, 80));
        Assert.Contains("cannot be batched", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedMetadataValueIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta["encoder_dims"] = "8,x";
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Contains("encoder_dims", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "no 'model_type'")]
    [InlineData("conformer", "'conformer' is not supported")]
    public void UnsupportedModelTypeNamesFileAndType(string? type, string expected)
    {
        var meta = new Dictionary<string, string>();
        if (type is not null)
        {
            meta["model_type"] = type;
        }

        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.ParseModelType(new ModelMetadata(File, meta)));
        Assert.StartsWith(File + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
