using System.Globalization;
using System.Text;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>Writes shapes for error messages: "[2, 4]", or "[N, 4]" with symbolic names.</summary>
internal static class OnnxShapeText
{
    public static string Format(ReadOnlySpan<long> shape, string[]? symbolic = null)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) text.Append(", ");
            if (shape[i] < 0)
            {
                string name = symbolic is not null && i < symbolic.Length ? symbolic[i] : "";
                text.Append(name.Length > 0 ? name : "?");
            }
            else
            {
                text.Append(shape[i].ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.Append(']').ToString();
    }
}
