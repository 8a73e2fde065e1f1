using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.WhatsApp;

namespace Wagate.Worker.Messaging;

/// <summary>Receipts move the session's sent messages on (SENT, DELIVERED, READ, PLAYED, FAILED
/// with the reason a client can act on); receipts for messages this session did not send through
/// us, or stale ones, change nothing.</summary>
internal sealed class ReceiptRecorder(SessionLedger ledger, OutboundMedia media, ILogger logger)
{
    /// <summary>False when another worker owns the session.</summary>
    public async Task<bool> OnStatusAsync(EngineEvent.MessageStatusChanged status, CancellationToken cancellationToken)
    {
        Message.Types.State? state = status.Status switch
        {
            MessageDeliveryStatus.ServerAck => Message.Types.State.Sent,
            MessageDeliveryStatus.Delivered => Message.Types.State.Delivered,
            MessageDeliveryStatus.Read => Message.Types.State.Read,
            MessageDeliveryStatus.Played => Message.Types.State.Played,
            MessageDeliveryStatus.Error => Message.Types.State.Failed,
            _ => null,
        };
        if (state is null)
        {
            return true;
        }
        var failure = state == Message.Types.State.Failed
            ? new MessageFailure(FailureReason(status.ErrorCode), status.Error.Length > 0 ? status.Error : $"WhatsApp refused the message ({status.ErrorCode}).")
            : null;
        if (!await ledger.RecordStatusAsync(status.Id, state.Value, status.Time.UtcDateTime, failure, cancellationToken))
        {
            logger.LogInformation("{Session} is owned under a newer token: the {State} receipt of {Message} is not recorded here", ledger.Key, state, status.Id);
            return false;
        }
        if (state is Message.Types.State.Sent or Message.Types.State.Failed)
        {
            await media.OnSettledAsync(status.Id);
        }
        return true;
    }

    /// <summary>WhatsApp's error codes as the reasons a client can act on.</summary>
    private static string FailureReason(int code) => code switch
    {
        ReceiptErrorCodes.InvalidContent => "INVALID_CONTENT",
        ReceiptErrorCodes.NotOnWhatsApp => "RECIPIENT_NOT_ON_WHATSAPP",
        ReceiptErrorCodes.MediaTooLarge => "MEDIA_TOO_LARGE",
        ReceiptErrorCodes.Restricted => "RESTRICTED",
        _ => "SEND_FAILED",
    };
}
