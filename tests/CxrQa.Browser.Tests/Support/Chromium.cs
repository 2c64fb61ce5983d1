using Microsoft.Playwright;

namespace CxrQa.Browser.Tests.Support;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium), headless, driven by Playwright. Playwright cannot download its own browser
/// build here, so it is pointed at the system one; a missing browser fails the tests with the fix in the message
/// (scripts/ensure-test-deps.sh installs it), never skips them. One browser per test class; a fresh context per test.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException(
                $"{ExecutablePath} not found: the browser tests need Debian's 'chromium' package. Run scripts/ensure-test-deps.sh (as root) or apt-get install chromium.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // No sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start. The rest keep a test
            // run from reaching out (updates, sync, component downloads) and from needing a GPU.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh page the size of a 1366x768 laptop screen, with its console errors and uncaught exceptions
    /// recorded (a broken script or a CSP violation shows up there).</summary>
    public async Task<ReviewPage> OpenAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            BaseURL = baseUrl,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new ReviewPage(context, page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>One browser page and what went wrong on it.</summary>
public sealed class ReviewPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];
    private readonly Lock _lock = new();

    public ReviewPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Record($"console: {message.Text}");
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public IReadOnlyList<string> Errors
    {
        get { lock (_lock) return [.. _errors]; }
    }

    /// <summary>Fails with every recorded error when there is any.</summary>
    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "browser errors:\n" + string.Join('\n', Errors));

    private void Record(string text)
    {
        lock (_lock) _errors.Add(text);
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
