using System.Globalization;

namespace Wagate.Data;

/// <summary>The API's resource names for the protos this library builds (events and messages are
/// stored as the API shows them). The same patterns as Wagate.Gateway's ResourceName.</summary>
internal static class ResourceNames
{
    public static string Session(string tenantId, string sessionId) => $"tenants/{tenantId}/sessions/{sessionId}";

    public static string Message(string tenantId, string sessionId, string messageId) =>
        $"tenants/{tenantId}/sessions/{sessionId}/messages/{messageId}";

    public static string Webhook(string tenantId, string webhookId) => $"tenants/{tenantId}/webhooks/{webhookId}";

    public static string Delivery(string tenantId, string webhookId, long eventCursor) =>
        $"tenants/{tenantId}/webhooks/{webhookId}/deliveries/{eventCursor.ToString(CultureInfo.InvariantCulture)}";
}
