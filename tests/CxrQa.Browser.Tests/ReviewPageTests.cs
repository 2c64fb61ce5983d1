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
}
