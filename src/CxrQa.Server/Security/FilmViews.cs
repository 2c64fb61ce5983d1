namespace CxrQa.Server.Security;

/// <summary>The names of the film views in the audit trail (<c>film_read</c> events' <c>after.view</c>).</summary>
public static class FilmViews
{
    public const string Image = "image";
    public const string Display = "display.png";
    public const string Thumbnail = "thumbnail.png";
    public const string Heatmap = "heatmap.png";
}
