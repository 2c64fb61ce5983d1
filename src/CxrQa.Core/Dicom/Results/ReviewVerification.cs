using CxrQa.Domain;

namespace CxrQa.Core.Dicom.Results;

/// <summary>The radiologist who verified a case: the Verifying Observer of the amended report.</summary>
/// <param name="ObserverName">Verifying Observer Name, a person name ("Family^Given" or plain text; written as the
/// family-name component when it has no '^').</param>
/// <param name="Organization">Verifying Organization (the site).</param>
/// <param name="VerifiedAt">When the decision was made (Verification DateTime).</param>
/// <param name="Label">The radiologist's label.</param>
public sealed record ReviewVerification(string ObserverName, string Organization, DateTimeOffset VerifiedAt, ReviewLabel Label);
