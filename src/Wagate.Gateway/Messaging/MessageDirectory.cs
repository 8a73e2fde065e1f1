using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data;
using Wagate.Data.Messages;
using Wagate.Data.Sessions;
using Wagate.Gateway.Common;
using Wagate.Gateway.Errors;
using Wagate.Gateway.Sessions;
using Wagate.Gateway.Tenancy;
using Wagate.Storage;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Gateway.Messaging;

/// <summary>The message use cases. A send is stored as QUEUED (the outbox) before any worker
/// hears of it, then the owning worker is nudged; if the nudge is lost, the worker's own reading
/// of the outbox, or the next owner's, sends it. Every query is scoped to the tenant.</summary>
public sealed class MessageDirectory(
    GatewaySessionStore sessions, GatewayMessageStore messages, MediaStore mediaStore, ISessionHosting hosting, SendRateLimiter rates,
    InFlightSends inFlight, OutboxGroupCommit groupCommit, OutboxNudges nudges, DailySendCounts sentToday, SessionPlans plans, TimeProvider clock,
    ILogger<MessageDirectory> logger)
{
    public async Task<Message> SendAsync(SendMessageRequest request, CancellationToken cancellationToken)
    {
        var session = SessionKey.Parse(request.Parent);
        if (request.RequestId.Length == 0)
        {
            return await SendNewAsync(session, request, cancellationToken);
        }
        if (await messages.GetByRequestIdAsync(session.TenantId, session.SessionId, request.RequestId, cancellationToken) is { } earlier)
        {
            // A retry: the message accepted the first time, whatever happened since, and without
            // spending the tenant's rate again.
            return earlier;
        }
        // Shared with concurrent retries, so not cancelled when this caller goes.
        return await inFlight.RunOnceAsync(session, request.RequestId, () => SendNewAsync(session, request, CancellationToken.None));
    }

    private async Task<Message> SendNewAsync(SessionKey session, SendMessageRequest request, CancellationToken cancellationToken)
    {
        var plan = await plans.PlanOfAsync(sessions, session, cancellationToken) ?? throw ApiErrors.NotFound(session.Name);
        var state = (await hosting.StatusOfAsync(session, cancellationToken))?.Snapshot.State ?? SessionState.Starting;
        if (state != SessionState.Connected)
        {
            throw SessionDirectory.WrongState(session, state, "messages are sent through a connected session.");
        }
        try
        {
            rates.Take(session.TenantId, plan);
            await CheckDailyQuotaAsync(session, plan, cancellationToken);
        }
        catch (Grpc.Core.RpcException limited) when (limited.StatusCode == Grpc.Core.StatusCode.ResourceExhausted && request.RequestId.Length > 0)
        {
            // A retry that looked its request id up just before the first call committed and got
            // here just after it finished (too late to share it): its message, not a refusal.
            if (await messages.GetByRequestIdAsync(session.TenantId, session.SessionId, request.RequestId, cancellationToken) is { } earlier)
            {
                return earlier;
            }
            throw;
        }

        Recipients.TryNormalize(request.To, out var chat);
        var content = ContentOf(request);
        var id = RecordIds.NewMessageId();
        var inline = MessageContents.MediaOf(content) is { SourceCase: MediaContent.SourceOneofCase.Data } media ? media : null;
        if (inline is not null)
        {
            await StoreMediaAsync(session, id, inline, cancellationToken);
            content = MessageContents.WithoutInlineData(content);
        }
        AcceptedMessage accepted;
        try
        {
            accepted = await groupCommit.AcceptAsync(new OutboundSend(session.TenantId, session.SessionId, request.RequestId, chat, content,
                clock.GetUtcNow().UtcDateTime, id, request.Typing?.ToTimeSpan()));
        }
        catch (Exception refused)
        {
            if (inline is not null)
            {
                await ForgetMediaAsync(session, id); // nothing was accepted: no message will ever send it
            }
            if (refused is Microsoft.EntityFrameworkCore.DbUpdateException update && DbErrors.IsForeignKeyViolation(update))
            {
                throw ApiErrors.NotFound(session.Name); // deleted since its plan was read
            }
            throw;
        }
        if (accepted.Created)
        {
            sentToday.Accepted(session.TenantId);
            nudges.Nudge(session);
        }
        else if (inline is not null)
        {
            // A concurrent retry with the same request id was accepted first, with its own copy.
            await ForgetMediaAsync(session, id);
        }
        return accepted.Message;
    }

    /// <summary>Sends the sender of a received message a read receipt through the session's
    /// worker, then records when; a message already marked read is answered as it is.</summary>
    public async Task<Message> MarkReadAsync(string name, CancellationToken cancellationToken)
    {
        var (session, messageId) = MessageNamed(name);
        var found = await messages.FindAsync(session.TenantId, session.SessionId, messageId, cancellationToken) ?? throw ApiErrors.NotFound(name);
        if (found.Message.Direction != Message.Types.Direction.Inbound)
        {
            throw ApiErrors.FailedPrecondition(ErrorReason.NotReceived,
                $"{name} was sent by the session: only received messages are marked read (WhatsApp reports when yours are read).");
        }
        if (found.Message.ReadTime is not null)
        {
            return found.Message;
        }
        var worker = await hosting.WorkerOfAsync(session, cancellationToken);
        if (worker is null || !await worker.MarkReadAsync(session, found.Message.Chat, [found.WhatsAppId], cancellationToken))
        {
            var state = (await hosting.StatusOfAsync(session, cancellationToken))?.Snapshot.State ?? SessionState.Starting;
            throw SessionDirectory.WrongState(session, state == SessionState.Connected ? SessionState.Connecting : state,
                "read receipts are sent through a connected session.");
        }
        return await messages.RecordReadAsync(session.TenantId, session.SessionId, messageId, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    public async Task<Message> GetAsync(string name, CancellationToken cancellationToken)
    {
        var (session, messageId) = MessageNamed(name);
        return await messages.GetAsync(session.TenantId, session.SessionId, messageId, cancellationToken) ?? throw ApiErrors.NotFound(name);
    }

    /// <summary>The session and message id of a validated message name.</summary>
    private static (SessionKey Session, string MessageId) MessageNamed(string name) =>
        (SessionKey.Parse(name[..name.IndexOf("/messages/", StringComparison.Ordinal)]), MessageReferences.IdOf(name));

    public async Task<ListMessagesResponse> ListAsync(ListMessagesRequest request, CancellationToken cancellationToken)
    {
        var session = SessionKey.Parse(request.Parent);
        if (!await sessions.ExistsAsync(session.TenantId, session.SessionId, cancellationToken))
        {
            throw ApiErrors.NotFound(session.Name);
        }
        MessageFilter filter;
        try
        {
            filter = MessageFilterParser.Parse(request.Filter);
        }
        catch (MessageFilterException bad)
        {
            throw ApiErrors.InvalidArgument("filter", bad.Message);
        }
        MessagePageToken? after = null;
        if (request.PageToken.Length > 0 && !MessagePageToken.TryDecode(request.PageToken, out after))
        {
            throw ApiErrors.InvalidArgument("pageToken", "is not a page token of this list; pass next_page_token as it came");
        }
        var page = await messages.ListAsync(session.TenantId, session.SessionId, filter, after, Paging.Size(request.PageSize), cancellationToken);
        return new ListMessagesResponse { Messages = { page.Messages }, NextPageToken = page.Next?.Encode() ?? "" };
    }

    private async Task CheckDailyQuotaAsync(SessionKey session, Data.Entities.TenantPlan plan, CancellationToken cancellationToken)
    {
        var sent = await sentToday.CountAsync(session.TenantId, messages.CountOutboundSinceAsync, cancellationToken);
        var limit = PlanLimits.MessagesPerDay(plan);
        if (sent >= limit)
        {
            throw ApiErrors.QuotaExceeded(ResourceNames.Tenant(session.TenantId), $"at most {limit} messages a day on this plan",
                $"The tenant has sent {sent} messages today (UTC), the most its plan allows; the quota renews at midnight UTC.");
        }
    }

    /// <summary>Stored before the message is accepted, so a worker never meets a message whose
    /// media is missing; a store that fails leaves nothing accepted, and the client retries.</summary>
    private async Task StoreMediaAsync(SessionKey session, string messageId, MediaContent inline, CancellationToken cancellationToken)
    {
        try
        {
            await mediaStore.PutAsync(session.TenantId, messageId, inline.Data.Memory, cancellationToken);
        }
        catch (Exception failed) when (failed is not OperationCanceledException)
        {
            logger.LogError(failed, "Storing the inline media of a message for {Session} failed", session);
            throw ApiErrors.Unavailable(ErrorReason.MediaStoreUnavailable,
                "The media could not be stored, so the message was not accepted; send it again shortly.", TimeSpan.FromSeconds(5));
        }
    }

    private async Task ForgetMediaAsync(SessionKey session, string messageId)
    {
        try
        {
            await mediaStore.DeleteAsync(session.TenantId, messageId, CancellationToken.None);
        }
        catch (Exception failed)
        {
            logger.LogWarning(failed, "The unused media copy {Message} of {Session} stays in the blob store", messageId, session);
        }
    }

    /// <summary>The request's content, recipients of mentions in E.164.</summary>
    private static Content ContentOf(SendMessageRequest request)
    {
        var content = new Content { ReplyTo = request.ReplyTo };
        foreach (var mention in request.Mentions)
        {
            PhoneNumbers.TryNormalize(mention, out var number);
            content.Mentions.Add(number);
        }
        switch (request.KindCase)
        {
            case SendMessageRequest.KindOneofCase.Text: content.Text = request.Text; break;
            case SendMessageRequest.KindOneofCase.Image: content.Image = request.Image; break;
            case SendMessageRequest.KindOneofCase.Video: content.Video = request.Video; break;
            case SendMessageRequest.KindOneofCase.Audio: content.Audio = request.Audio; break;
            case SendMessageRequest.KindOneofCase.Document: content.Document = request.Document; break;
            case SendMessageRequest.KindOneofCase.Location: content.Location = request.Location; break;
            case SendMessageRequest.KindOneofCase.Contact: content.Contact = request.Contact; break;
            case SendMessageRequest.KindOneofCase.Reaction:
                content.Reaction = request.Reaction.Clone();
                content.Reaction.MessageId = MessageReferences.IdOf(request.Reaction.MessageId);
                break;
            case SendMessageRequest.KindOneofCase.Poll: content.Poll = request.Poll; break;
        }
        return content;
    }
}
