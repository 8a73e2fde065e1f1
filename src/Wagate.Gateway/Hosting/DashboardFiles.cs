using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Wagate.Gateway.Hosting;

/// <summary>Serves the web dashboard (src/dashboard, built by Vite into dist/) at <c>/</c> on the
/// HTTP port: hashed assets cached for a year, index.html revalidated on every load, and every
/// other page path answered with index.html so the browser's router takes over. The folder is
/// WAGATE_DASHBOARD_DIR, or src/dashboard/dist found above the content root or the app's base
/// directory; without it, <c>/</c> redirects to the OpenAPI document as before.</summary>
public static class DashboardFiles
{
    public const string DirectorySetting = "WAGATE_DASHBOARD_DIR";
    private const string BuiltFolder = "src/dashboard/dist";
    private const string HashedAssetsPrefix = "/assets/";

    /// <summary>Paths that belong to the API and operations; a miss there is a 404, never the app.</summary>
    private static readonly string[] NotPages = ["/v1/", "/openapi", "/metrics", "/healthz", "/readyz", "/grpc.", "/wagate."];

    public static void MapDashboard(this WebApplication app)
    {
        var folder = Locate(app.Configuration[DirectorySetting], app.Environment.ContentRootPath, AppContext.BaseDirectory);
        if (folder is null)
        {
            app.MapGet("/", () => Results.Redirect("/openapi/v1.json"));
            return;
        }
        app.Logger.LogInformation("Serving the dashboard from {Folder}", folder);
        var index = Path.Combine(folder, "index.html");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments(HashedAssetsPrefix.TrimEnd('/'), StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable"
                    : "no-cache",
        });
        app.MapGet("/", (HttpContext context) => Page(context, index));
        // nonfile: a path with a file extension gets no endpoint, so the static files middleware
        // (which serves only requests without one) answers it, or the pipeline's 404.
        app.MapFallback("{**path:nonfile}", (HttpContext context) => IsPage(context.Request) ? Page(context, index) : Results.NotFound());
    }

    /// <summary>The dashboard's folder: the setting when given (even if missing, so a typo shows as
    /// the old redirect plus a log line, not someone else's files), else the first
    /// src/dashboard/dist above the content root or the base directory that holds an index.html.</summary>
    internal static string? Locate(string? configured, params string[] starts)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured);
            return File.Exists(Path.Combine(full, "index.html")) ? full : null;
        }
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, BuiltFolder);
                if (File.Exists(Path.Combine(candidate, "index.html")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static bool IsPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        if (request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return false;
        }
        var path = request.Path.Value ?? "/";
        return !NotPages.Any(prefix => path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || path + "/" == prefix);
    }

    private static IResult Page(HttpContext context, string index)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return Results.File(index, "text/html; charset=utf-8");
    }
}
