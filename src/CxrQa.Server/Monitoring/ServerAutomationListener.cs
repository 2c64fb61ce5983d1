using CxrQa.Admin.Automation;
using CxrQa.Core.Monitoring;
using CxrQa.Server.Metrics;

namespace CxrQa.Server.Monitoring;

/// <summary>The server's ear on the automation monitor: logs, and the pause counter in /metrics.</summary>
public sealed partial class ServerAutomationListener(ServerMetrics metrics, ILogger<ServerAutomationListener> logger) : IAutomationListener
{
    public void DriftReady(string site, DriftCalibration calibration) =>
        LogDrift(site, calibration.Threshold, calibration.TargetFalseAlarmRate, calibration.Horizon, calibration.SimulatedFalseAlarmRate);

    public void Paused(string site, string cause, string detail)
    {
        metrics.CountPause(cause);
        LogPaused(site, cause, detail);
    }

    public void Resumed(string site, string actor) => LogResumed(site, actor);

    public void StartedOver(string site, string previousReference, string reference) => LogReset(site, previousReference, reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "automation paused at site {Site} ({Cause}): {Detail}")]
    private partial void LogPaused(string site, string cause, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "automation resumed at site {Site} by {Actor}")]
    private partial void LogResumed(string site, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "automation monitor of site {Site} started over: reference {Previous} -> {Reference}")]
    private partial void LogReset(string site, string previous, string reference);

    [LoggerMessage(Level = LogLevel.Information, Message = "drift monitor of site {Site}: alarm level {Threshold:F2} for {Rate:P1} false alarms over {Horizon} films (simulated {Simulated:P2})")]
    private partial void LogDrift(string site, double threshold, double rate, int horizon, double simulated);
}
