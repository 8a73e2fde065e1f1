using Microsoft.Extensions.Logging;
using Wagate.Core;
using Wagate.Data.Messages;
using Wagate.Engines;

namespace Wagate.Worker.Messaging;

/// <summary>Messages the session receives, stored before the engine acknowledges them: a message
/// that could not be stored is never acknowledged, so the network hands it over again. Its
/// create_time is when it was received here (webhook retries and event retention count from it:
/// a message that waited days for the session to come online is still announced and retried);
/// its send_time is when its sender sent it.</summary>
internal sealed class Inbox(SessionLedger ledger, WhatsAppReferences references, TimeProvider clock, ILogger logger)
{
    public async Task OnReceivedAsync(EngineEvent.MessageReceived received, CancellationToken cancellationToken)
    {
        try
        {
            var content = await references.FromWhatsAppAsync(MessageContents.WithoutInlineData(received.Content), cancellationToken);
            if (await ledger.RecordInboundAsync(received.Id, received.From, content, clock.GetUtcNow().UtcDateTime, received.SendTime.UtcDateTime, cancellationToken))
            {
                received.MarkRecorded();
            }
            else
            {
                received.MarkFailed(new InvalidOperationException($"{ledger.Key} is owned by another worker now."));
            }
        }
        catch (Exception failed)
        {
            logger.LogError(failed, "Storing message {Message} received by {Session} failed", received.Id, ledger.Key);
            received.MarkFailed(failed);
            throw;
        }
    }
}
