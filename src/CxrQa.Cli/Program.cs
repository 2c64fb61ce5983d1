using System.CommandLine;
using CxrQa.Admin;
using CxrQa.Cli.Commands;

var root = new RootCommand("CxrQa: chest X-ray pneumonia screening that knows when not to trust itself.")
{
    PredictCommand.Create(),
    EvaluateCommand.Create(),
    TrainHeadCommand.Create(),
    CalibrateCommand.Create(),
    TrainCommand.Create(),
    EnsembleCommand.Create(),
    QuantizeCommand.Create(),
    CompareCommand.Create(),
    KeysCommand.Create(),
    ExportReviewsCommand.Create(),
    RecalibrateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
