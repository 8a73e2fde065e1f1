using Microsoft.EntityFrameworkCore;
using Wagate.Contracts.Message.V1;
using Wagate.Data.Entities;
using State = Wagate.Contracts.Message.V1.Message.Types.State;

namespace Wagate.Data.Messages;

/// <summary>Status reports of outbound messages applied to their rows, inside the caller's
/// transaction: each moves its message only forward (<see cref="MessageTransitions"/>), and the
/// allowed previous states are part of the UPDATE's condition, so two reports racing for one
/// message cannot move it backwards (the later one re-checks the row it waited for).</summary>
internal static class MessageStatusUpdates
{
    /// <summary>One report of a message of a session.</summary>
    public sealed record Update(string TenantId, string SessionId, StatusReport Report);

    /// <summary>Applies <paramref name="updates"/> in their order; for each, the message as it
    /// stands after it, or null when it changed nothing (stale, backwards or unknown: not the
    /// worker's fault). On PostgreSQL a whole group is one UPDATE ... RETURNING per wave (a wave
    /// holds each message once; a message reported twice in a group, SENT then DELIVERED, is
    /// moved by the second wave after the first), where one statement per report and a read of
    /// each row after it had held the sessions' fence rows for most of a second per group of a
    /// few hundred reports. SQLite, a single node's one writer, applies them one by one.</summary>
    public static async Task<Message?[]> ApplyAsync(WagateDbContext db, IReadOnlyList<Update> updates)
    {
        var applied = new Message?[updates.Count];
        if (updates.Count == 0)
        {
            return applied;
        }
        if (!db.Database.IsNpgsql())
        {
            for (var i = 0; i < updates.Count; i++)
            {
                applied[i] = await ApplyOneAsync(db, updates[i]);
            }
            return applied;
        }
        foreach (var wave in Waves(updates))
        {
            await ApplyWaveAsync(db, updates, wave, applied);
        }
        return applied;
    }

    /// <summary>The indexes of <paramref name="updates"/> split so that no wave holds a message
    /// twice and a message's reports keep their order across waves.</summary>
    private static List<List<int>> Waves(IReadOnlyList<Update> updates)
    {
        var waves = new List<List<int>>();
        var seen = new Dictionary<(string, string, string), int>();
        for (var i = 0; i < updates.Count; i++)
        {
            var key = (updates[i].TenantId, updates[i].SessionId, updates[i].Report.MessageId);
            var wave = seen.TryGetValue(key, out var last) ? last + 1 : 0;
            seen[key] = wave;
            if (wave == waves.Count)
            {
                waves.Add([]);
            }
            waves[wave].Add(i);
        }
        // The UPDATE locks rows in the order given: in key order, two groups updating the same
        // messages wait for each other rather than deadlock.
        foreach (var wave in waves)
        {
            wave.Sort((a, b) => (updates[a].TenantId, updates[a].SessionId, updates[a].Report.MessageId).CompareTo(
                (updates[b].TenantId, updates[b].SessionId, updates[b].Report.MessageId)));
        }
        return waves;
    }

    private static async Task ApplyWaveAsync(WagateDbContext db, IReadOnlyList<Update> updates, List<int> wave, Message?[] applied)
    {
        var tenants = wave.Select(i => updates[i].TenantId).ToArray();
        var sessions = wave.Select(i => updates[i].SessionId).ToArray();
        var ids = wave.Select(i => updates[i].Report.MessageId).ToArray();
        var states = wave.Select(i => (int)updates[i].Report.NewState).ToArray();
        // The states each report may move its message from, as a bit mask over state numbers.
        var allowed = wave.Select(i => MessageTransitions.AllowedFrom(updates[i].Report.NewState).Aggregate(0, (mask, s) => mask | 1 << s)).ToArray();
        var times = wave.Select(i => DbTimes.Normalize(updates[i].Report.Time)).ToArray();
        var reasons = wave.Select(i => Truncate(updates[i].Report.Failure?.Reason, Limits.FailureReasonLength)).ToArray();
        var messages = wave.Select(i => Truncate(updates[i].Report.Failure?.Message, Limits.ReasonLength)).ToArray();
        const int outbound = (int)Message.Types.Direction.Outbound;
        const int sent = (int)State.Sent, delivered = (int)State.Delivered, read = (int)State.Read, played = (int)State.Played, failed = (int)State.Failed;
        var rows = await db.Messages.FromSql($"""
            UPDATE messages AS m SET
                "State" = r.state,
                "UpdateTime" = r.time,
                "SendTime" = CASE WHEN r.state = {sent} THEN r.time ELSE m."SendTime" END,
                "DeliverTime" = CASE WHEN r.state = {delivered} THEN r.time ELSE m."DeliverTime" END,
                "ReadTime" = CASE WHEN r.state = {read} THEN r.time ELSE m."ReadTime" END,
                "PlayTime" = CASE WHEN r.state = {played} THEN r.time ELSE m."PlayTime" END,
                "FailTime" = CASE WHEN r.state = {failed} THEN r.time ELSE m."FailTime" END,
                "FailureReason" = CASE WHEN r.state = {failed} THEN r.reason ELSE m."FailureReason" END,
                "FailureMessage" = CASE WHEN r.state = {failed} THEN r.message ELSE m."FailureMessage" END
            FROM unnest({tenants}, {sessions}, {ids}, {states}, {allowed}, {times}, {reasons}, {messages})
                AS r(tenant_id, session_id, id, state, allowed, time, reason, message)
            WHERE m."TenantId" = r.tenant_id AND m."SessionId" = r.session_id AND m."Id" = r.id
                AND m."Direction" = {outbound} AND (r.allowed >> m."State") & 1 = 1
            RETURNING m.*
            """).AsNoTracking().ToListAsync();
        var byKey = rows.ToDictionary(r => (r.TenantId, r.SessionId, r.Id));
        foreach (var i in wave)
        {
            applied[i] = byKey.TryGetValue((updates[i].TenantId, updates[i].SessionId, updates[i].Report.MessageId), out var row) ? row.ToProto() : null;
        }
    }

    private static async Task<Message?> ApplyOneAsync(WagateDbContext db, Update update)
    {
        var (tenantId, sessionId, report) = update;
        var (messageId, newState, at) = (report.MessageId, report.NewState, DbTimes.Normalize(report.Time));
        var allowedFrom = MessageTransitions.AllowedFrom(newState);
        var changed = await db.Messages
            .Where(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId
                && m.Direction == (int)Message.Types.Direction.Outbound && allowedFrom.Contains(m.State))
            .ExecuteUpdateAsync(set =>
            {
                set.SetProperty(m => m.State, (int)newState).SetProperty(m => m.UpdateTime, at);
                switch (newState)
                {
                    case State.Sent:
                        set.SetProperty(m => m.SendTime, at);
                        break;
                    case State.Delivered:
                        set.SetProperty(m => m.DeliverTime, at);
                        break;
                    case State.Read:
                        set.SetProperty(m => m.ReadTime, at);
                        break;
                    case State.Played:
                        set.SetProperty(m => m.PlayTime, at);
                        break;
                    case State.Failed:
                        set.SetProperty(m => m.FailTime, at)
                            .SetProperty(m => m.FailureReason, Truncate(report.Failure?.Reason, Limits.FailureReasonLength))
                            .SetProperty(m => m.FailureMessage, Truncate(report.Failure?.Message, Limits.ReasonLength));
                        break;
                }
            });
        return changed == 0
            ? null
            : (await db.Messages.AsNoTracking().SingleAsync(m => m.TenantId == tenantId && m.SessionId == sessionId && m.Id == messageId)).ToProto();
    }

    private static string Truncate(string? text, int length) =>
        string.IsNullOrEmpty(text) ? "" : text.Length <= length ? text : text[..length];
}
