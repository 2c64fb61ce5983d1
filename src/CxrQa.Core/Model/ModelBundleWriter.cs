using System.Text.Json;

namespace CxrQa.Core.Model;

/// <summary>Writes model bundles (what train-head produces): <c>model.json</c> and, for kind "onnx", the graph file.</summary>
public static class ModelBundleWriter
{
    public const string DefaultGraphFileName = "model.onnx";

    /// <summary>Writes a "frozen_backbone_linear_head" bundle: <c>dir/model.json</c> only (the graph is assembled at load).
    /// The card is validated first; returns it as written.</summary>
    public static ModelCard Save(string dir, ModelCard card)
    {
        if (card.Graph?.Kind == GraphCard.Onnx)
            throw new ArgumentException($"a bundle of kind '{GraphCard.Onnx}' needs its graph: use Save(dir, card, graph)", nameof(card));
        ModelCardValidator.Validate(card);
        Directory.CreateDirectory(dir);
        WriteCard(dir, card);
        return card;
    }

    /// <summary>Writes an "onnx" bundle: the graph as <c>graph.file</c> (default model.onnx) and <c>model.json</c> with
    /// <c>graph.file</c> and <c>graph.file_sha256</c> filled in. Returns the card as written.</summary>
    public static ModelCard Save(string dir, ModelCard card, OnnxGraph graph)
    {
        var written = card with
        {
            Graph = card.Graph with
            {
                Kind = GraphCard.Onnx,
                File = card.Graph.File ?? DefaultGraphFileName,
                FileSha256 = graph.ComputeSha256(),
            },
        };
        ModelCardValidator.Validate(written);
        Directory.CreateDirectory(dir);
        WriteAtomically(Path.Combine(dir, written.Graph.File!), graph.WriteTo);
        WriteCard(dir, written);
        return written;
    }

    /// <summary>Rewrites only <c>model.json</c> of an existing bundle (e.g. after calibration). For kind "onnx" the graph
    /// file must already be there with the sha256 the card names.</summary>
    public static ModelCard SaveCard(string dir, ModelCard card)
    {
        ModelCardValidator.Validate(card);
        if (card.Graph.Kind == GraphCard.Onnx
            && !Sha256Hex.AreEqual(card.Graph.FileSha256, Sha256Hex.OfFile(Path.Combine(dir, card.Graph.File!))))
            throw new ArgumentException($"'{card.Graph.File}' in '{dir}' does not match the card's sha256", nameof(card));
        WriteCard(dir, card);
        return card;
    }

    private static void WriteCard(string dir, ModelCard card) =>
        WriteAtomically(Path.Combine(dir, ModelBundle.CardFileName),
            path => File.WriteAllText(path, JsonSerializer.Serialize(card, ModelCard.JsonOptions) + "\n"));

    /// <summary>Write beside, then rename: a reader never sees half a file.</summary>
    private static void WriteAtomically(string path, Action<string> write)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
