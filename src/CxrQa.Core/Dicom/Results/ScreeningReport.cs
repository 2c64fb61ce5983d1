using CxrQa.Domain;
using CxrQa.Core.Pipeline;
using CxrQa.Core.Routing;

namespace CxrQa.Core.Dicom.Results;

/// <summary>One reason a case was routed to a radiologist: the stable code (<see cref="ReasonCodes"/>) and the words
/// a reader sees.</summary>
public sealed record RoutingReason(string Code, string Text);

/// <summary>What the screening said about one film, as the result objects report it.</summary>
/// <param name="CaseId">The case id (32 lower-case hex digits); every UID of the case's objects derives from it.</param>
/// <param name="Model">The model bundle's name and version.</param>
/// <param name="SoftwareVersion">CxrQa's own version (Software Versions of the contributing equipment).</param>
/// <param name="ScreenedAt">When the film was screened: the report's content date and time.</param>
/// <param name="Finding">Pneumonia or Normal; null when the film was not screened (no finding is reported then).</param>
/// <param name="PneumoniaProbability">Calibrated probability of pneumonia in [0, 1]; null when not screened.</param>
/// <param name="Status">Automated, or pending a radiologist's review.</param>
/// <param name="Reasons">Why it went to review; empty for an automated case.</param>
public sealed record ScreeningReport(
    string CaseId,
    ModelIdentity Model,
    string SoftwareVersion,
    DateTimeOffset ScreenedAt,
    ScreeningClass? Finding,
    double? PneumoniaProbability,
    CaseStatus Status,
    IReadOnlyList<RoutingReason> Reasons);
