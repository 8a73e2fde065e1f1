using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Storage;

namespace Wagate.Worker.Messaging;

/// <summary>Media sent inline: the outbox keeps only its size and SHA-256, the bytes wait in the
/// media store until WhatsApp took (or refused) the message, then the stored copy goes.</summary>
internal sealed class OutboundMedia(SessionLedger ledger, MediaStore media, TimeProvider clock, ILogger logger)
{
    /// <summary>Messages sent with media from the media store, whose copy there goes once
    /// WhatsApp took (or refused) them.</summary>
    private readonly ConcurrentDictionary<string, bool> _sentWithStoredMedia = new(StringComparer.Ordinal);

    /// <summary>The content with its inline media back from the media store, or null when the
    /// media is gone: that message fails rather than holding up the ones behind it.</summary>
    public async Task<Content?> ContentToSendAsync(string id, Content stored, CancellationToken cancellationToken)
    {
        if (StoredMediaOf(stored) is null)
        {
            return stored;
        }
        byte[]? data;
        try
        {
            data = await media.GetAsync(ledger.Key.TenantId, id, cancellationToken);
        }
        catch (InvalidDataException damaged)
        {
            logger.LogError(damaged, "The media of message {Message} of {Session} cannot be opened", id, ledger.Key);
            data = null;
        }
        if (data is null)
        {
            await ledger.RecordStatusAsync(id, Message.Types.State.Failed, clock.GetUtcNow().UtcDateTime,
                new MessageFailure("MEDIA_UNAVAILABLE", "The media sent inline with this message is no longer stored; send the message again."),
                cancellationToken);
            return null;
        }
        var content = stored.Clone();
        MessageContents.MediaOf(content)!.Data = Google.Protobuf.ByteString.CopyFrom(data);
        _sentWithStoredMedia[id] = true;
        return content;
    }

    /// <summary>WhatsApp took or refused a message: a stored copy sent with it goes.</summary>
    public async Task OnSettledAsync(string id)
    {
        if (_sentWithStoredMedia.TryRemove(id, out _))
        {
            await ForgetAsync(id);
        }
    }

    /// <summary>A queued message failed before it was sent: its stored copy, if any, goes.</summary>
    public async Task OnFailedUnsentAsync(string id, Content content)
    {
        _sentWithStoredMedia.TryRemove(id, out _);
        if (StoredMediaOf(content) is not null)
        {
            await ForgetAsync(id);
        }
    }

    /// <summary>Media whose bytes wait in the media store: the outbox has only its size and SHA-256.</summary>
    private static MediaContent? StoredMediaOf(Content content) =>
        MessageContents.MediaOf(content) is { SourceCase: MediaContent.SourceOneofCase.None, Sha256.Length: > 0 } stored ? stored : null;

    /// <summary>A copy that could not be deleted only takes space.</summary>
    private async Task ForgetAsync(string id)
    {
        try
        {
            await media.DeleteAsync(ledger.Key.TenantId, id, CancellationToken.None);
        }
        catch (Exception failed)
        {
            logger.LogWarning(failed, "The media of message {Message} of {Session} stays in the blob store", id, ledger.Key);
        }
    }
}
