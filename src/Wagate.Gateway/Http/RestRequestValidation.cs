using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Validation;

namespace Wagate.Gateway.Http;

/// <summary>Checks REST requests before JSON transcoding reads them. Transcoding alone would
/// silently ignore unknown fields (a typo such as "emial" or "pageSise" would pass unnoticed)
/// and answer malformed JSON or a bad query value without naming anything or an ErrorInfo;
/// here each becomes INVALID_ARGUMENT with field violations, through the same error helper as
/// every other error.</summary>
public static class RestRequestValidation
{
    private const int MaxDepth = 32;

    public static IApplicationBuilder UseRestRequestValidation(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var metadata = http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>();
        if (metadata is null)
        {
            await next(http);
            return;
        }

        var requestType = metadata.MethodDescriptor.InputType;
        var body = metadata.HttpRule.Body;
        var violations = new Violations();
        CheckQuery(http.Request.Query, requestType, violations);
        if (!string.IsNullOrEmpty(body) && !HasBody(http.Request))
        {
            // A bare POST (curl -X POST .../workers/w1:drain) means an empty request, as it does
            // for the official Cloud API; transcoding alone refuses it for its missing Content-Type.
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream("{}"u8.ToArray());
            http.Request.ContentLength = 2;
        }
        else if (!string.IsNullOrEmpty(body))
        {
            if (!IsJson(http.Request.ContentType))
            {
                violations.Add("", "The body must be JSON, sent with Content-Type: application/json.");
            }
            else
            {
                var target = body == "*" ? requestType : requestType.FindFieldByName(body)?.MessageType;
                http.Request.EnableBuffering();
                if (target is not null)
                {
                    await CheckBodyAsync(http.Request.Body, target, violations, http.RequestAborted);
                }
                http.Request.Body.Position = 0;
            }
        }
        if (violations.Any)
        {
            await RestErrors.WriteAsync(http, violations.ToError());
            return;
        }
        await next(http);
    });

    /// <summary>Every query parameter must name a field (dotted for nested ones, by JSON or
    /// proto name) and hold a value of its type.</summary>
    private static void CheckQuery(IQueryCollection query, MessageDescriptor request, Violations violations)
    {
        foreach (var (key, values) in query)
        {
            var field = ResolvePath(request, key);
            if (field is null)
            {
                violations.Add(key, $"is not a query parameter of {request.Name}");
                continue;
            }
            foreach (var value in values)
            {
                if (!ParsesAs(field, value ?? ""))
                {
                    violations.Add(key, $"'{value}' is not a valid {field.FieldType.ToString().ToLowerInvariant()}");
                }
            }
        }
    }

    private static FieldDescriptor? ResolvePath(MessageDescriptor message, string path)
    {
        FieldDescriptor? field = null;
        foreach (var part in path.Split('.'))
        {
            if (message is null)
            {
                return null;
            }
            field = FindField(message, part);
            if (field is null)
            {
                return null;
            }
            message = field.FieldType == FieldType.Message ? field.MessageType : null!;
        }
        return field;
    }

    private static bool ParsesAs(FieldDescriptor field, string value) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        FieldType.Float or FieldType.Double => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        FieldType.Bool => value is "true" or "false",
        FieldType.Enum => field.EnumType.FindValueByName(value) is not null || int.TryParse(value, CultureInfo.InvariantCulture, out _),
        _ => true,
    };

    private static FieldDescriptor? FindField(MessageDescriptor message, string name) =>
        message.FindFieldByName(name) ?? message.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0;

    private static async Task CheckBodyAsync(Stream body, MessageDescriptor target, Violations violations, CancellationToken cancellationToken)
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
            var field = FindField(descriptor, property.Name);
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
