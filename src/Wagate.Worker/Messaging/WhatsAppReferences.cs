using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.Worker.Runtime;

namespace Wagate.Worker.Messaging;

/// <summary>How replies and reactions name earlier messages of a session on each side: the API
/// by resource id, WhatsApp by its own id. The two agree for messages the session sent (we give
/// WhatsApp our id) and differ for received ones, which keep WhatsApp's id besides the resource
/// id we gave them.</summary>
internal sealed class WhatsAppReferences(SessionKey session, IWorkerMessageLedger ledger)
{
    /// <summary>The content as it goes to WhatsApp: earlier messages by WhatsApp id.</summary>
    public async Task<Content> ToWhatsAppAsync(Content content, CancellationToken cancellationToken)
    {
        if (!Refers(content))
        {
            return content;
        }
        var mapped = content.Clone();
        if (mapped.ReplyTo.Length > 0)
        {
            mapped.ReplyTo = await ledger.WhatsAppIdOfAsync(session.TenantId, session.SessionId, MessageReferences.IdOf(mapped.ReplyTo), cancellationToken);
        }
        if (mapped.KindCase == Content.KindOneofCase.Reaction)
        {
            mapped.Reaction.MessageId = await ledger.WhatsAppIdOfAsync(session.TenantId, session.SessionId, mapped.Reaction.MessageId, cancellationToken);
        }
        return mapped;
    }

    /// <summary>A received message's content as it is recorded: earlier messages by resource id
    /// (a reply as the message's name).</summary>
    public async Task<Content> FromWhatsAppAsync(Content content, CancellationToken cancellationToken)
    {
        if (!Refers(content))
        {
            return content;
        }
        var mapped = content.Clone();
        if (mapped.ReplyTo.Length > 0)
        {
            mapped.ReplyTo = MessageReferences.NameOf(session.Name,
                await ledger.MessageIdOfAsync(session.TenantId, session.SessionId, MessageReferences.IdOf(mapped.ReplyTo), cancellationToken));
        }
        if (mapped.KindCase == Content.KindOneofCase.Reaction)
        {
            mapped.Reaction.MessageId = await ledger.MessageIdOfAsync(session.TenantId, session.SessionId, mapped.Reaction.MessageId, cancellationToken);
        }
        return mapped;
    }

    private static bool Refers(Content content) => content.ReplyTo.Length > 0 || content.KindCase == Content.KindOneofCase.Reaction;
}
