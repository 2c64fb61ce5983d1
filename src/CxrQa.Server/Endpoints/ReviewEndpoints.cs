using CxrQa.Server.Cases;
using CxrQa.Server.Http;
using CxrQa.Server.Reviews;
using CxrQa.Server.Security;
using CxrQa.Storage;

namespace CxrQa.Server.Endpoints;

/// <summary>The review queue (docs/review-api.md). Always behind a reviewer or admin key, also on loopback: every
/// claim and decision names its reviewer in the audit trail. A reviewer key with a team sees and decides only its
/// team's cases (<see cref="TeamScope"/>); the others are 404 like unknown ids. The stats are the site's, unscoped.</summary>
public static class ReviewEndpoints
{
    public static void MapReviews(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reviews")
            .RequireAuthorization(ApiPolicies.Reviewer)
            .WithMetadata(JsonBody.Limit)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", (string? status, int? limit, int? offset, HttpContext http, ReviewService reviews, CancellationToken ct) =>
                reviews.ListAsync(status, limit, offset, http.User.ReviewScope(), ct))
            .WithName("ListReviews").WithSummary("Reviews in one state (default pending), oldest queued first")
            .Produces<ReviewListView>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/stats", (ReviewService reviews, CancellationToken ct) => reviews.StatsAsync(ct))
            .WithName("ReviewStats").WithSummary("Queue counts and the audit sample's agreement with the automated answers")
            .Produces<ReviewStatsView>();
        group.MapGet("/{id}", (string id, HttpContext http, ReviewService reviews, CancellationToken ct) =>
                reviews.GetAsync(id, http.User.ReviewScope(), ct))
            .WithName("GetReview").WithSummary("One review with its case")
            .Produces<ReviewItem>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/claim", (string id, HttpContext http, ReviewService reviews, CancellationToken ct) =>
                reviews.ClaimAsync(id, http.User.ApiKeyActor(), http.User.ReviewScope(), ct))
            .WithName("ClaimReview").WithSummary("Claim a case for review (or refresh your own claim)")
            .Produces<ReviewItem>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/release", (string id, HttpContext http, ReviewService reviews, CancellationToken ct) =>
                reviews.ReleaseAsync(id, http.User.ApiKeyActor(), http.User.ApiKeyRole() == ApiKeyRoles.Admin, http.User.ReviewScope(), ct))
            .WithName("ReleaseReview").WithSummary("Give a claimed case back to the queue (its claimer, or an admin)")
            .Produces<ReviewItem>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/decision", DecideAsync)
            .WithName("DecideReview").WithSummary("Record the label of a case you hold a live claim on")
            .Accepts<DecisionRequest>("application/json")
            .Produces<ReviewItem>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    /// <summary>The body is read here, after the key check, so a caller without a key learns nothing from a 400.</summary>
    private static async Task<ReviewItem> DecideAsync(string id, HttpContext http, ReviewService reviews, CancellationToken ct)
    {
        var request = await JsonBody.ReadAsync<DecisionRequest>(http.Request, ApiErrorCodes.BadRequest,
            """{"label": "Normal" | "Pneumonia" | "Unreadable", "note": "optional"}""", ct);
        return await reviews.DecideAsync(id, http.User.ApiKeyActor(), http.User.ReviewScope(), request, ct);
    }
}
