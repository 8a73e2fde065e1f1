using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Webhook.V1;
using Wagate.Core;
using Wagate.Data.Entities;
using Wagate.Data.Events;

namespace Wagate.Data.Webhooks;

/// <summary>Webhook rows to the API's messages.</summary>
internal static class WebhookMapping
{
    /// <summary>A webhook as reads show it: never its secret.</summary>
    public static Webhook ToProto(WebhookRecord row)
    {
        var webhook = new Webhook
        {
            Name = ResourceNames.Webhook(row.TenantId, row.Id),
            Url = row.Url,
            CreateTime = DbTimes.ToTimestamp(row.CreateTime),
        };
        webhook.EventTypes.AddRange(WebhookFilters.DecodeTypes(row.EventTypes));
        webhook.Sessions.AddRange(WebhookFilters.DecodeSessions(row.Sessions).Select(s => ResourceNames.Session(row.TenantId, s)));
        return webhook;
    }

    public static WebhookDelivery ToProto(WebhookDeliveryRecord row, EventRecord? @event, IEnumerable<WebhookAttemptRecord> attempts)
    {
        var delivery = new WebhookDelivery
        {
            Name = ResourceNames.Delivery(row.TenantId, row.WebhookId, row.EventCursor),
            Event = @event is null ? null : EventLog.ToProto(@event),
            State = (WebhookDelivery.Types.State)row.State,
            CreateTime = DbTimes.ToTimestamp(row.CreateTime),
        };
        if (row.State == (int)WebhookDelivery.Types.State.Pending)
        {
            delivery.NextAttemptTime = DbTimes.ToTimestamp(row.NextAttemptTime);
        }
        delivery.Attempts.AddRange(attempts.OrderBy(a => a.Number).Select(a => new WebhookAttempt
        {
            Time = DbTimes.ToTimestamp(a.Time),
            Latency = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(a.LatencyMs)),
            ResponseCode = a.ResponseCode,
            Error = a.Error,
        }));
        return delivery;
    }
}
