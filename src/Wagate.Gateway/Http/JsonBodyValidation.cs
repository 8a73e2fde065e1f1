using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Http;

/// <summary>Checks REST request bodies before JSON transcoding reads them. Transcoding alone
/// would silently ignore unknown fields (a typo such as "emial" would pass unnoticed) and answer
/// malformed JSON without naming anything; here both become INVALID_ARGUMENT with field
/// violations, through the same error helper as every other error.</summary>
public static class JsonBodyValidation
{
    private const int MaxDepth = 32;

    public static IApplicationBuilder UseJsonBodyValidation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        var body = metadata?.HttpRule.Body;
        if (metadata is null || string.IsNullOrEmpty(body) || !HasBody(http.Request))
        {
            await next(http);
            return;
        }

        var requestType = metadata.MethodDescriptor.InputType;
        var target = body == "*" ? requestType : requestType.FindFieldByName(body)?.MessageType;
        http.Request.EnableBuffering();
        var violations = new Violations();
        if (target is not null)
        {
            await CheckAsync(http.Request.Body, target, violations, http.RequestAborted);
        }
        http.Request.Body.Position = 0;
        if (violations.Any)
        {
            await RestErrors.WriteAsync(http, violations.ToError());
            return;
        }
        await next(http);
    });

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;

    private static async Task CheckAsync(Stream body, MessageDescriptor target, Violations violations, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException exception)
        {
            violations.Add("", $"The body is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1}).");
            return;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                violations.Add("", "The body must be a JSON object.");
                return;
            }
            CheckObject(document.RootElement, target, "", violations);
            if (!violations.Any)
            {
                CheckValues(document.RootElement.GetRawText(), target, violations);
            }
        }
    }

    /// <summary>Every property must be a field of the message (by JSON or proto name),
    /// recursively into nested messages.</summary>
    private static void CheckObject(JsonElement element, MessageDescriptor descriptor, string path, Violations violations)
    {
        foreach (var property in element.EnumerateObject())
        {
            var field = descriptor.FindFieldByName(property.Name)
                ?? descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == property.Name);
            var fieldPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (field is null)
            {
                violations.Add(fieldPath, $"is not a field of {descriptor.Name}");
                continue;
            }
            if (field.FieldType != FieldType.Message || field.MessageType.File.Package.StartsWith("google.protobuf", StringComparison.Ordinal))
            {
                continue;
            }
            if (field.IsRepeated && !field.IsMap && property.Value.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in property.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        CheckObject(item, field.MessageType, $"{fieldPath}[{index}]", violations);
                    }
                    index++;
                }
            }
            else if (!field.IsMap && property.Value.ValueKind == JsonValueKind.Object)
            {
                CheckObject(property.Value, field.MessageType, fieldPath, violations);
            }
        }
    }

    /// <summary>Type errors ("email": 5) are found by parsing with the protobuf JSON parser,
    /// field by field so the violation can name the field.</summary>
    private static void CheckValues(string json, MessageDescriptor descriptor, Violations violations)
    {
        try
        {
            JsonParser.Default.Parse(json, descriptor);
        }
        catch (InvalidProtocolBufferException)
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                try
                {
                    JsonParser.Default.Parse($"{{{JsonSerializer.Serialize(property.Name)}:{property.Value.GetRawText()}}}", descriptor);
                }
                catch (InvalidProtocolBufferException)
                {
                    violations.Add(property.Name, "has a value of the wrong type or format");
                }
            }
            if (!violations.Any)
            {
                violations.Add("", "The body does not match the request message.");
            }
        }
        catch (InvalidJsonException exception)
        {
            violations.Add("", $"The body is not valid JSON: {exception.Message}");
        }
    }
}
