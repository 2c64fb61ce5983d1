namespace CxrQa.Server.Pacs;

/// <summary>The hospital PACS that receives the results, bound from the configuration section "CxrQa:Pacs"
/// (CxrQa__Pacs__StowUrl=... in the environment). Without <see cref="StowUrl"/> nothing is queued or sent.</summary>
public sealed class PacsOptions
{
    public const string Section = "CxrQa:Pacs";

    /// <summary>The PACS's DICOMweb base (e.g. http://orthanc:8042/dicom-web); results are POSTed to {StowUrl}/studies.</summary>
    public string? StowUrl { get; set; }

    /// <summary>HTTP basic authentication for the PACS, when it asks for it (both or neither).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>How often an idle sender looks for due rows (a new case wakes this replica's sender at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed row is this replica's to send; after it another replica may take it over. Longer
    /// than <see cref="RequestTimeout"/> plus the time to build the objects.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one STOW-RS request to the PACS may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the second attempt; it doubles with every further failure, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows claimed at once by one replica.</summary>
    public int BatchSize { get; set; } = 8;

    public bool Enabled => !string.IsNullOrWhiteSpace(StowUrl);

    /// <summary>Where instances are stored: {StowUrl}/studies.</summary>
    public Uri StudiesUri => new(StowUrl!.TrimEnd('/') + "/studies");

    /// <summary>Fails the start on a setting that would fail every send.</summary>
    public void Validate()
    {
        if (!Enabled)
            return;
        if (!Uri.TryCreate(StowUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"{Section}:StowUrl must be an absolute http(s) URL");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new InvalidOperationException($"{Section}:StowUrl must not carry credentials: use {Section}:Username and Password");
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            throw new InvalidOperationException($"{Section}:Username and {Section}:Password go together");
        if (PollInterval <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
            throw new InvalidOperationException($"{Section}: PollInterval, RequestTimeout and FirstRetryDelay must be positive, MaxRetryDelay at least FirstRetryDelay");
        if (ClaimLease <= RequestTimeout)
            throw new InvalidOperationException($"{Section}:ClaimLease must be longer than RequestTimeout");
        if (BatchSize is < 1 or > 100)
            throw new InvalidOperationException($"{Section}:BatchSize must be 1..100");
    }
}
