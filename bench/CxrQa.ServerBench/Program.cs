using CxrQa.ServerBench;

// Starts the built server on a temp data directory, loads it over HTTP, prints a table and writes JSON.
return await ServerBenchmark.RunAsync(args);
