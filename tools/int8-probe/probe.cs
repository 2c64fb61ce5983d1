// Times two ONNX graphs (e.g. fp32 and int8) in ONNX Runtime alone, interleaved round by round so both see the same
// machine load, and prints each one's median and the ratio; optionally writes ONNX Runtime's optimized model of each
// and counts its operators (to check that QDQ pairs were fused into integer kernels).
// `dotnet run -c Release tools/int8-probe/probe.cs -- GRAPH_A GRAPH_B BATCH [ROUNDS] [THREADS] [--ops] [--prepare-a]`
#:package Microsoft.ML.OnnxRuntime
#:package Google.Protobuf
#:project ../../src/CxrQa.Core/CxrQa.Core.csproj
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

var (a, b, batch) = (args[0], args[1], int.Parse(args[2]));
var rounds = args.Length > 3 ? int.Parse(args[3]) : 10;
var threads = args.Length > 4 ? int.Parse(args[4]) : 0;
var ops = args.Contains("--ops");
// --prepare-a: time A as the fp32 graph the quantizer starts from (batch norm folded, fp16 weights widened, IR 7), the
// fairest fp32 baseline for an int8 graph.
var prepareA = args.Contains("--prepare-a");
InferenceSession Open(string path, bool prepare = false)
{
    using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    if (threads > 0) so.IntraOpNumThreads = threads;
    if (ops) so.OptimizedModelFilePath = Path.Combine(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "-" + Path.GetFileName(Path.GetDirectoryName(path)) + ".opt.onnx");
    var s = prepare
        ? new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(CxrQa.Core.Model.Quantization.QuantizationPreparation.Prepare(Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)))), so)
        : new InferenceSession(path, so);
    if (ops)
    {
        var m = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(so.OptimizedModelFilePath));
        Console.WriteLine($"{path}: optimized ops " + string.Join(", ", m.Graph.Node.GroupBy(n => n.OpType).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
    }
    return s;
}
using var sa = Open(a, prepareA);
using var sb = Open(b);
var input = new DenseTensor<float>(new[] { batch, 3, 224, 224 });
var rnd = new Random(1);
for (var i = 0; i < input.Length; i++) input.SetValue(i, rnd.Next(0, 256));
var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("image", input) };
double Time(InferenceSession s, int n)
{
    var ms = new List<double>();
    for (var i = 0; i < n; i++) { var sw = Stopwatch.StartNew(); s.Run(inputs).Dispose(); ms.Add(sw.Elapsed.TotalMilliseconds); }
    ms.Sort();
    return ms[ms.Count / 2];
}
Time(sa, 2); Time(sb, 2);
var ta = new List<double>(); var tb = new List<double>(); var ratios = new List<double>();
for (var r = 0; r < rounds; r++)
{
    var x = Time(sa, 3); var y = Time(sb, 3);
    ta.Add(x); tb.Add(y); ratios.Add(x / y);
}
double Median(List<double> v) { var s = v.OrderBy(x => x).ToList(); return s[s.Count / 2]; }
Console.WriteLine($"batch {batch}, {rounds} interleaved rounds of 3 runs: A {Median(ta):0.0} ms ({batch * 1000 / Median(ta):0.0} films/s), " +
                  $"B {Median(tb):0.0} ms ({batch * 1000 / Median(tb):0.0} films/s), A/B median ratio {Median(ratios):0.00} (min {ratios.Min():0.00}, max {ratios.Max():0.00})");
