using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using QRCoder;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using Wagate.Core.Workers;
using Wagate.Data.Entities;

namespace Wagate.Gateway.Sessions;

/// <summary>Sessions as the API shows them: the stored row, overlaid with the live status of the
/// worker that runs the session when there is one (the row does not know its worker).</summary>
public static class SessionMapping
{
    public static Session ToProto(this SessionRecord row, LiveStatus? status)
    {
        var live = status?.Snapshot;
        var session = new Session
        {
            Name = new SessionKey(row.TenantId, row.Id).Name,
            DisplayName = row.DisplayName,
            Engine = (Engine)row.Engine,
            State = live?.State ?? row.RecordedState(),
            PhoneNumber = live?.PhoneNumber ?? row.PhoneNumber,
            Worker = status?.Worker ?? "",
            CreateTime = Timestamp.FromDateTime(Utc(row.CreateTime)),
            UpdateTime = live is null ? Timestamp.FromDateTime(Utc(row.UpdateTime)) : Timestamp.FromDateTimeOffset(live.UpdateTime),
        };
        if (live is not null)
        {
            session.LastError = live.LastError?.ToProto();
        }
        else if (row.ErrorReason.Length > 0)
        {
            session.LastError = new SessionError
            {
                Reason = row.ErrorReason,
                Message = row.ErrorMessage,
                Code = row.ErrorCode,
                Time = row.ErrorTime is { } time ? Timestamp.FromDateTime(Utc(time)) : null,
            };
        }
        return session;
    }

    /// <summary>With no live status, the row's last known state when the session waits in it for
    /// a restart; any other is a session on its way to a worker (just declared, or resumed after
    /// a restart of the platform), which is starting, whatever it was before.</summary>
    internal static Session.Types.State RecordedState(this SessionRecord row) =>
        SessionSnapshot.WaitsForRestart((Session.Types.State)row.State) ? (Session.Types.State)row.State : Session.Types.State.Starting;

    public static QrCode ToProto(this QrCodeSnapshot qr)
    {
        using var data = QRCodeGenerator.GenerateQrCode(qr.Code, QRCodeGenerator.ECCLevel.L);
        var png = new PngByteQRCode(data).GetGraphic(8);
        return new QrCode
        {
            Code = qr.Code,
            Png = ByteString.CopyFrom(png),
            ExpireTime = Timestamp.FromDateTimeOffset(qr.ExpireTime),
            Sequence = qr.Sequence,
        };
    }

    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
