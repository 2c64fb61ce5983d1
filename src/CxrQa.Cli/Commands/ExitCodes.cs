namespace CxrQa.Cli.Commands;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Usage = 1;
    /// <summary>The model or another prerequisite could not be loaded; nothing was screened.</summary>
    public const int Setup = 2;
    /// <summary>Some inputs could not be screened (each has an error line); the rest were.</summary>
    public const int SomeInputsFailed = 3;
}
