using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CxrQa.Browser.Tests.Support;
using CxrQa.Server.Tests.Support;
using CxrQa.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CxrQa.Browser.Tests;

/// <summary>
/// The review page (issue 7) in a real browser against the real server process on SQLite: what it serves, that its
/// script runs under its own Content-Security-Policy, and a reviewer's whole pass over a routed case.
/// </summary>
public sealed class ReviewPageTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Csp =
        "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Fact]
    public async Task Page_and_assets_are_served_with_the_content_security_policy()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        foreach (var (path, type) in new[]
                 {
                     ("/review", "text/html"), ("/review/", "text/html"), ("/review/review.js", "text/javascript"),
                     ("/review/review.css", "text/css"), ("/review/favicon.svg", "image/svg+xml"),
                 })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Csp, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", string.Join(", ", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }

        // Only embedded names are served: no path reaches the disk.
        foreach (var path in new[] { "/review/nope.js", "/review/..%2Fappsettings.json", "/review/%2E%2E%2FCxrQa.Server.dll" })
        {
            using var response = await server.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        // A revalidation of an unchanged file costs a 304.
        using var first = await server.Client.GetAsync("/review/review.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/review/review.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task Page_loads_in_chromium_to_the_login_form_without_errors_and_the_browser_enforces_its_policy()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        await using var tab = await chromium.OpenAsync(server.Client.BaseAddress!.ToString());
        var page = tab.Page;

        var navigation = await page.GotoAsync("/review");
        Assert.NotNull(navigation);
        Assert.Equal(Csp, await navigation.HeaderValueAsync("content-security-policy"));
        await Expect(page).ToHaveTitleAsync("CxrQa review");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
        await Expect(page.Locator("#app-view")).ToBeHiddenAsync();
        // The script ran (it focuses the key field), and its stylesheet applied (the app's dark background).
        await Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        Assert.Equal("rgb(15, 20, 26)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        tab.AssertNoErrors();

        // The policy is enforced, not only sent: an injected inline script is refused and never runs.
        var violated = await page.EvaluateAsync<string>(
            """
            () => new Promise(resolve => {
              document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective), { once: true });
              const s = document.createElement('script');
              s.textContent = 'window.inlineRan = true';
              document.body.append(s);
              setTimeout(() => resolve('none'), 3000);
            })
            """);
        Assert.StartsWith("script-src", violated);
        Assert.False(await page.EvaluateAsync<bool>("window.inlineRan === true"));
    }

    [Fact]
    public async Task A_reviewer_logs_in_claims_windows_toggles_the_heatmap_and_decides_with_the_keyboard()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var reviewerKey = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-lee");
        var adminKey = await Cli.CreateKeyAsync(data.Path, "admin", "qa-admin");
        var caseId = await PostSyntheticFilmAsync(server);

        await using var tab = await chromium.OpenAsync(server.Client.BaseAddress!.ToString());
        var page = tab.Page;
        await page.GotoAsync("/review");
        await LogInAsync(page, reviewerKey);

        // The queue lists the routed case with its thumbnail, reasons and origin.
        var row = page.Locator($"[data-case-id='{caseId}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("out_of_distribution");
        await Expect(row).ToContainTextAsync("routed");
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Pending" })).ToContainTextAsync("(1)");
        await Expect(row.Locator("img")).ToHaveJSPropertyAsync("naturalWidth", 160);

        // Open it: the film is drawn, at the default window, with the heatmap over it.
        await row.ClickAsync();
        var canvas = page.Locator("#film");
        await Expect(canvas).ToBeVisibleAsync();
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(caseId);
        await Expect(page.Locator("#f-state")).ToHaveTextAsync("pending");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 256 / L 128 · heatmap 50 %");
        // The whole film is on screen at 1366x768: the canvas fits inside the viewer, which fits inside the window.
        var viewer = (await page.Locator(".viewer").BoundingBoxAsync())!;
        var film = (await canvas.BoundingBoxAsync())!;
        Assert.True(film.Y >= viewer.Y && film.Y + film.Height <= viewer.Y + viewer.Height + 0.5 && viewer.Y + viewer.Height <= 768.5,
            $"film {film.Y}+{film.Height} outside viewer {viewer.Y}+{viewer.Height}");
        var withHeatmap = await CanvasStatsAsync(page);
        Assert.Equal((SyntheticFilm.Size, SyntheticFilm.Size), (withHeatmap.Width, withHeatmap.Height));
        Assert.True(withHeatmap.Chroma > 1, $"the heatmap should tint the film: {withHeatmap}");

        // Decision keys do nothing before a claim, except say why.
        await page.Keyboard.PressAsync("n");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Claim the case before deciding it.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
        await Expect(page.Locator("#f-state")).ToHaveTextAsync("claimed");
        await Expect(page.Locator("#f-claimed")).ToContainTextAsync("by dr-lee");
        await Expect(page.Locator("#whoami")).ToHaveTextAsync("Signed in as dr-lee");
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Claimed" }).ClickAsync();
        await Expect(row).ToContainTextAsync("claimed by dr-lee");

        // H: heatmap off, the canvas is pure grey: the film exactly as served (display.png) at the identity window.
        await page.Keyboard.PressAsync("h");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 256 / L 128 · heatmap off");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Show heatmap" })).Not.ToBeCheckedAsync();
        var plain = await CanvasStatsAsync(page);
        Assert.Equal(0, plain.Chroma);
        Assert.InRange(plain.Mean, 96, 143); // the synthetic film's grey range

        // Window/level by slider: a 48-level window round the film's greys spreads them over the whole range.
        await page.GetByLabel("Window width").FillAsync("48");
        await page.GetByLabel("Window level").FillAsync("120");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 48 / L 120 · heatmap off");
        var windowed = await CanvasStatsAsync(page);
        Assert.True(windowed.StdDev > 3 * plain.StdDev, $"a narrow window should stretch contrast: {plain} -> {windowed}");

        // ... and by dragging on the film: right widens the window, down raises the level.
        var box = (await canvas.BoundingBoxAsync())!;
        var (cx, cy) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(cx, cy);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(cx + 40, cy + 30, new() { Steps = 5 });
        await page.Mouse.UpAsync();
        var dragged = await page.Locator("#wl-readout").TextContentAsync();
        var (width, level) = ParseReadout(dragged!);
        Assert.True(width > 48 && level > 120, $"drag should widen and raise the window: {dragged}");
        Assert.Equal(width.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetByLabel("Window width").InputValueAsync());

        // R resets to the identity window: the same pixels as before any change.
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 256 / L 128 · heatmap off");
        Assert.Equal(plain, await CanvasStatsAsync(page));

        // H again: heatmap back, and the opacity slider sets how strongly it tints.
        await page.Keyboard.PressAsync("h");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 256 / L 128 · heatmap 50 %");
        await page.GetByLabel("Heatmap opacity").FillAsync("100");
        await Expect(page.Locator("#wl-readout")).ToHaveTextAsync("W 256 / L 128 · heatmap 100 %");
        var strong = await CanvasStatsAsync(page);
        Assert.True(strong.Chroma > withHeatmap.Chroma * 1.5, $"opacity 100 % should tint more than 50 %: {withHeatmap} -> {strong}");

        await SaveScreenshotAsync(page, windowWidth: 56, windowLevel: 118);

        // P arms the decision, Enter records it, with the note.
        await page.GetByLabel("Note").FillAsync("synthetic film, browser test");
        await canvas.ClickAsync(); // leave the note field: typing there must never decide
        await page.Keyboard.PressAsync("p");
        await Expect(page.Locator("#confirm")).ToContainTextAsync("Pneumonia");
        await Expect(page.Locator("button.decide[data-label='Pneumonia']")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#f-state")).ToHaveTextAsync("decided");
        await Expect(page.Locator("#f-decided")).ToContainTextAsync("Pneumonia by dr-lee");
        await Expect(page.Locator("#f-decided")).ToContainTextAsync("synthetic film, browser test");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true })).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Decided" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Pneumonia by dr-lee");
        tab.AssertNoErrors();

        // The API agrees: the case carries the decision, and the audit trail has the claim and the decision.
        var stored = await GetJsonAsync(server, $"/cases/{caseId}", reviewerKey);
        var review = stored["review"]!;
        Assert.Equal("decided", review["state"]!.GetValue<string>());
        Assert.Equal("Pneumonia", review["label"]!.GetValue<string>());
        Assert.Equal("dr-lee", review["decided_by"]!.GetValue<string>());
        Assert.Equal("synthetic film, browser test", review["note"]!.GetValue<string>());
        var audit = (await GetJsonAsync(server, $"/audit?case_id={caseId}", adminKey))["items"]!.AsArray();
        var decided = Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "decided")!;
        Assert.Equal("dr-lee", decided["actor"]!.GetValue<string>());
        Assert.Equal("Pneumonia", decided["after"]!["label"]!.GetValue<string>());
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "claimed" && e["actor"]!.GetValue<string>() == "dr-lee");
    }

    [Fact]
    public async Task Refused_keys_and_conflicts_show_the_servers_detail()
    {
        using var data = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(data.Path);
        var submitterKey = await Cli.CreateKeyAsync(data.Path, "submitter", "ward-7");
        var firstKey = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-first");
        var secondKey = await Cli.CreateKeyAsync(data.Path, "reviewer", "dr-second");
        var caseId = await PostSyntheticFilmAsync(server);
        await using var tab = await chromium.OpenAsync(server.Client.BaseAddress!.ToString());
        var page = tab.Page;
        await page.GotoAsync("/review");
        var alert = page.GetByRole(AriaRole.Alert);

        await page.GetByLabel("API key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(alert).ToContainTextAsync("the API key is unknown or revoked");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('cxrqa.review.key')"));

        await page.GetByLabel("API key").FillAsync(submitterKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(alert).ToContainTextAsync("a submitter key cannot use this endpoint");
        await Expect(page.Locator("#app-view")).ToBeHiddenAsync();

        // Someone else holds the case: claiming it says so, in the server's words.
        using (var claim = new HttpRequestMessage(HttpMethod.Post, $"/reviews/{caseId}/claim"))
        {
            claim.Headers.Authorization = new AuthenticationHeaderValue("Bearer", firstKey);
            using var claimed = await server.Client.SendAsync(claim);
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }
        await LogInAsync(page, secondKey);
        await Expect(alert).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Claimed" }).ClickAsync();
        var row = page.Locator($"[data-case-id='{caseId}']");
        await Expect(row).ToContainTextAsync("claimed by dr-first");
        await row.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Claim", Exact = true }).ClickAsync();
        await Expect(alert).ToContainTextAsync("already_claimed");
        await Expect(page.Locator("#f-claimed")).ToContainTextAsync("by dr-first");

        // The key survives a reload (session storage), and logging out forgets it.
        await page.ReloadAsync();
        await Expect(page.Locator("#app-view")).ToBeVisibleAsync();
        await Expect(page.Locator("#case-id")).ToHaveTextAsync(caseId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('cxrqa.review.key')"));
    }

    private static async Task LogInAsync(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.Locator("#app-view")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }

    /// <summary>Posts the synthetic film (predict is open on loopback) and checks that the model routed it to review.</summary>
    private static async Task<string> PostSyntheticFilmAsync(ServerProcess server)
    {
        using var content = new ByteArrayContent(SyntheticFilm.Png());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await server.Client.PostAsync("/predict", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("pending_review", body["status"]!.GetValue<string>());
        return body["case_id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> GetJsonAsync(ServerProcess server, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>What the canvas shows once drawn: size, mean and spread of the grey (mean of R, G, B) and the mean
    /// chroma (max - min channel; 0 for a pure grey picture). Read after a frame, since drawing is batched per frame.</summary>
    private static async Task<CanvasStats> CanvasStatsAsync(IPage page)
    {
        var values = await page.EvaluateAsync<double[]>(
            """
            () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
              const c = document.getElementById('film');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let sum = 0, sum2 = 0, chroma = 0;
              const n = d.length / 4;
              for (let i = 0; i < d.length; i += 4) {
                const g = (d[i] + d[i + 1] + d[i + 2]) / 3;
                sum += g; sum2 += g * g;
                chroma += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
              }
              const mean = sum / n;
              resolve([c.width, c.height, mean, Math.sqrt(Math.max(0, sum2 / n - mean * mean)), chroma / n]);
            })))
            """);
        return new CanvasStats((int)values[0], (int)values[1], Math.Round(values[2], 6), Math.Round(values[3], 6), Math.Round(values[4], 6));
    }

    private static (int Width, int Level) ParseReadout(string text)
    {
        // "W 64 / L 140 · heatmap off"
        var parts = text.Split(' ');
        return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>With CXRQA_SCREENSHOT_DIR set, saves the case view (synthetic film, claimed, windowed, heatmap on) as
    /// review-page.png at 1366x768: the picture in the README. The window is set for the picture and reset after.</summary>
    private static async Task SaveScreenshotAsync(IPage page, int windowWidth, int windowLevel)
    {
        var directory = Environment.GetEnvironmentVariable("CXRQA_SCREENSHOT_DIR");
        if (string.IsNullOrWhiteSpace(directory))
            return;
        Directory.CreateDirectory(directory);
        await page.GetByLabel("Window width").FillAsync(windowWidth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Window level").FillAsync(windowLevel.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Heatmap opacity").FillAsync("45");
        await page.GetByLabel("Note").FillAsync("Right lower zone opacity? Compare with prior.");
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "review-page.png") });
        await page.Keyboard.PressAsync("r");
        await page.GetByLabel("Heatmap opacity").FillAsync("100");
    }

    private sealed record CanvasStats(int Width, int Height, double Mean, double StdDev, double Chroma);
}
