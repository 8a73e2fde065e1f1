using System.Text;
using System.Text.RegularExpressions;
using Google.Api;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Wagate.Gateway.Http;

/// <summary>Grpc.Swagger shortens <c>/v1/{name=tenants/*}</c> and
/// <c>/v1/{name=tenants/*/usage}</c> to the same <c>v1/{name}</c>, which collides. This writes
/// each path the way a REST client calls it, from the proto's google.api.http rule:
/// <c>v1/tenants/{tenant}/usage</c>, one path parameter per resource id.</summary>
public sealed partial class TranscodedPathTemplates : IApiDescriptionProvider
{
    /// <summary>Runs after the gRPC description provider has added its descriptions.</summary>
    public int Order => 10_000;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var metadata = description.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault();
            if (metadata is null || Template(metadata.HttpRule) is not { } template)
            {
                continue;
            }
            var ids = new List<string>();
            description.RelativePath = Variable().Replace(template.TrimStart('/'), match =>
            {
                description.ParameterDescriptions.Remove(
                    description.ParameterDescriptions.First(p => p.Name == match.Groups["field"].Value && p.Source == BindingSource.Path));
                return Expand(match.Groups["pattern"].Value, ids);
            });
            foreach (var id in ids)
            {
                description.ParameterDescriptions.Add(new ApiParameterDescription
                {
                    Name = id,
                    Source = BindingSource.Path,
                    Type = typeof(string),
                    IsRequired = true,
                });
            }
        }
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
    }

    /// <summary><c>tenants/*/apiKeys/*</c> becomes <c>tenants/{tenant}/apiKeys/{apiKey}</c>.</summary>
    private static string Expand(string pattern, List<string> ids)
    {
        var segments = pattern.Split('/');
        var path = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                path.Append('/');
            }
            if (segments[i] == "*" && i > 0)
            {
                var id = segments[i - 1].TrimEnd('s');
                ids.Add(id);
                path.Append('{').Append(id).Append('}');
            }
            else
            {
                path.Append(segments[i]);
            }
        }
        return path.ToString();
    }

    private static string? Template(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        HttpRule.PatternOneofCase.Custom => rule.Custom.Path,
        _ => null,
    };

    [GeneratedRegex(@"\{(?<field>[a-z_.]+)=(?<pattern>[^}]+)\}")]
    private static partial Regex Variable();
}
