using CxrQa.Bench;

// A `bench` command rather than BenchmarkDotNet: the interesting numbers are end-to-end stage timings on real films
// and folder throughput, which need the shipped model and data, and the machine has 2 cores.
return await BenchProgram.RunAsync(args);
