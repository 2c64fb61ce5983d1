namespace CxrQa.Core.Data;

/// <summary>The two classes as the head and the metrics number them: the positive class is pneumonia.</summary>
public static class BinaryLabel
{
    public const int Normal = 0;
    public const int Pneumonia = 1;

    /// <summary>The folder name that holds each class in a labelled folder dataset (matched case-insensitively).</summary>
    public static string FolderName(int label) => label switch
    {
        Normal => "NORMAL",
        Pneumonia => "PNEUMONIA",
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "label must be 0 (Normal) or 1 (Pneumonia)"),
    };
}
