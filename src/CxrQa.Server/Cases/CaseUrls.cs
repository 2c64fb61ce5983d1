namespace CxrQa.Server.Cases;

/// <summary>The URLs of a case's resources, in one place so answers and routes agree.</summary>
public static class CaseUrls
{
    public static string Case(string id) => $"/cases/{id}";
    public static string Image(string id) => $"/cases/{id}/image";
    public static string Heatmap(string id) => $"/cases/{id}/heatmap.png";
    public static string Display(string id) => $"/cases/{id}/display.png";
    public static string Thumbnail(string id) => $"/cases/{id}/thumbnail.png";
}
