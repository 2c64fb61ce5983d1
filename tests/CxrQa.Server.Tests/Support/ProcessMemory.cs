using System.Globalization;

namespace CxrQa.Server.Tests.Support;

/// <summary>Resident memory of another process from /proc (Linux): what the operating system, and an OOM killer, see.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS or VmHWM (the peak) of the process, in bytes.</summary>
    public static long Read(int pid, string field = "VmRSS")
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                continue;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }

    /// <summary>The process's peak resident memory while <paramref name="work"/> runs: the kernel's own high-water mark
    /// (VmHWM), reset first through /proc/PID/clear_refs, and a 5 ms sampling of VmRSS as a floor where the reset is
    /// not allowed.</summary>
    public static async Task<long> PeakDuringAsync(int pid, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var reset = TryResetPeak(pid);
        using var stop = new CancellationTokenSource();
        var sampled = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sampled = Math.Max(sampled, Read(pid));
                await Task.Delay(5, CancellationToken.None);
            }
        }, CancellationToken.None);
        try
        {
            await work();
        }
        finally
        {
            await stop.CancelAsync();
            await sampler;
        }
        return reset ? Math.Max(sampled, Read(pid, "VmHWM")) : sampled;
    }

    private static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5"); // 5: reset the peak RSS (Linux 4.0+)
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
