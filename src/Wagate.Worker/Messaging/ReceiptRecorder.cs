using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Wagate.Contracts.Message.V1;
using Wagate.Data.Messages;
using Wagate.Engines;
using Wagate.WhatsApp;

namespace Wagate.Worker.Messaging;

/// <summary>Receipts move the session's sent messages on (SENT, DELIVERED, READ, PLAYED, FAILED
/// with the reason a client can act on); receipts for messages this session did not send through
/// us, or stale ones, change nothing. Receipts are recorded off the session's event loop, in the
/// order they came, as many as have come in one write: a session sending fast gets a server
/// acknowledgement per message, and recording each before the next event is read would hold up
/// the sends behind it. Each is marked recorded (then the engine acknowledges it) or failed (it
/// comes again).</summary>
internal sealed class ReceiptRecorder : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly SessionLedger _ledger;
    private readonly OutboundMedia _media;
    private readonly ILogger _logger;
    private readonly Channel<EngineEvent.MessageStatusChanged> _pending =
        Channel.CreateUnbounded<EngineEvent.MessageStatusChanged>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public ReceiptRecorder(SessionLedger ledger, OutboundMedia media, ILogger logger)
    {
        _ledger = ledger;
        _media = media;
        _logger = logger;
        _loop = Task.Run(RecordLoopAsync);
    }

    /// <summary>Hands a receipt over to be recorded after those before it.</summary>
    public void Record(EngineEvent.MessageStatusChanged status)
    {
        if (!_pending.Writer.TryWrite(status))
        {
            status.MarkFailed(new ObjectDisposedException(nameof(ReceiptRecorder), "The session is stopping."));
        }
    }

    private async Task RecordLoopAsync()
    {
        var batch = new List<EngineEvent.MessageStatusChanged>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var status))
            {
                batch.Add(status);
            }
            try
            {
                await RecordAsync(batch);
            }
            catch (Exception failed)
            {
                // Not recorded: unacknowledged, so the receipts come again on the next connection.
                _logger.LogWarning(failed, "{Session} could not record {Count} receipts", _ledger.Key, batch.Count);
                batch.ForEach(status => status.MarkFailed(failed));
            }
        }
    }

    private async Task RecordAsync(List<EngineEvent.MessageStatusChanged> batch)
    {
        var reports = new List<(EngineEvent.MessageStatusChanged Status, StatusReport Report)>(batch.Count);
        foreach (var status in batch)
        {
            if (ReportOf(status) is { } report)
            {
                reports.Add((status, report));
            }
            else
            {
                status.MarkRecorded(); // nothing a message of ours changes with
            }
        }
        if (reports.Count == 0)
        {
            return;
        }
        var writes = await _ledger.RecordStatusesAsync([.. reports.Select(r => r.Report)]);
        if (!writes[0].Owned)
        {
            _logger.LogInformation("{Session} is owned under a newer token: {Count} receipts are not recorded here", _ledger.Key, reports.Count);
        }
        foreach (var ((status, report), write) in reports.Zip(writes))
        {
            if (!write.Owned)
            {
                status.MarkFailed(new InvalidOperationException($"{_ledger.Key} is owned by another worker now."));
                continue;
            }
            try
            {
                if (report.NewState is Message.Types.State.Sent or Message.Types.State.Failed)
                {
                    await _media.OnSettledAsync(status.Id);
                }
                status.MarkRecorded();
            }
            catch (Exception failed)
            {
                status.MarkFailed(failed);
            }
        }
    }

    private static StatusReport? ReportOf(EngineEvent.MessageStatusChanged status)
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
            return null;
        }
        var failure = state == Message.Types.State.Failed
            ? new MessageFailure(FailureReason(status.ErrorCode), status.Error.Length > 0 ? status.Error : $"WhatsApp refused the message ({status.ErrorCode}).")
            : null;
        return new StatusReport(status.Id, state.Value, status.Time.UtcDateTime, failure);
    }

    /// <summary>Records what was handed over, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
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
