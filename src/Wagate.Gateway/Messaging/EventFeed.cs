using System.Globalization;
using System.Runtime.CompilerServices;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Events;

namespace Wagate.Gateway.Messaging;

/// <summary>StreamEvents: the tenant's log from a cursor, then its new events as they commit.
/// New events are found by reading the log again every <see cref="PollInterval"/>: it works the
/// same for every gateway replica and database, and a cursor read is one indexed range scan.</summary>
public sealed class EventFeed(EventLog log)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private const int Batch = 500;

    public async IAsyncEnumerable<Event> FollowAsync(StreamEventsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tenantId = ResourceNames.Ids(request.Parent, ResourceNames.TenantPattern)[0];
        var cursor = request.StartAfter.Length > 0 ? long.Parse(request.StartAfter, CultureInfo.InvariantCulture) : 0;
        var filter = new EventFilter(request.EventTypes, request.Sessions.Select(ResourceNames.LastId).ToList());
        while (!cancellationToken.IsCancellationRequested)
        {
            var events = await log.ReadAfterAsync(tenantId, cursor, filter, Batch, cancellationToken);
            foreach (var @event in events)
            {
                yield return @event;
            }
            if (events.Count > 0)
            {
                cursor = long.Parse(events[^1].Cursor, CultureInfo.InvariantCulture);
            }
            if (events.Count < Batch)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }
}
