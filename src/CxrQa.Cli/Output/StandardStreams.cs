using Spectre.Console;

namespace CxrQa.Cli.Output;

/// <summary>stdout carries results only (one JSON line per input) so it can be piped; people read stderr.</summary>
public static class StandardStreams
{
    public static IAnsiConsole CreateErrorConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });
}
