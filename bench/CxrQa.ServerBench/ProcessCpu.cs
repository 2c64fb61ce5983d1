using System.Globalization;

namespace CxrQa.ServerBench;

/// <summary>CPU time (user + system) a process has used, from /proc/PID/stat.</summary>
internal static class ProcessCpu
{
    // Linux reports utime and stime in clock ticks; USER_HZ is 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which is in parentheses and may hold spaces): state is field 3; utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
