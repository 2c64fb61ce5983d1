using System.CommandLine;

namespace CxrQa.Cli.Commands;

/// <summary>Options several commands share, so they are spelled and described the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string?> Model() => new("--model")
    {
        Description = "Model bundle folder (holds model.json). Default: CXRQA_MODEL, else the shipped bundle.",
    };

    public static Option<int> BatchSize() => new("--batch-size")
    {
        Description = "Films per network batch.",
        DefaultValueFactory = _ => 8,
    };
}
