using Google.Protobuf.WellKnownTypes;
using Wagate.Contracts.Session.V1;
using Wagate.Core;
using WireSnapshot = Wagate.Contracts.Worker.V1.SessionSnapshot;

namespace Wagate.Core.Workers;

/// <summary>A worker's session snapshots as WorkerService carries them, both ways: what the
/// server writes, the client reads back equal.</summary>
public static class WorkerProtoMapping
{
    public static WireSnapshot ToProto(this SessionSnapshot snapshot) => new()
    {
        State = snapshot.State,
        PhoneNumber = snapshot.PhoneNumber,
        LastError = snapshot.LastError?.ToProto(),
        UpdateTime = Timestamp.FromDateTimeOffset(snapshot.UpdateTime),
        // The PNG is the gateway's to render; the worker sends the payload only.
        QrCode = snapshot.QrCode is { } qr
            ? new QrCode { Code = qr.Code, ExpireTime = Timestamp.FromDateTimeOffset(qr.ExpireTime), Sequence = qr.Sequence }
            : null,
    };

    public static SessionSnapshot ToSnapshot(this WireSnapshot snapshot) => new(
        snapshot.State,
        snapshot.PhoneNumber,
        snapshot.LastError is { } error ? new SessionProblem(error.Reason, error.Message, error.Code, TimeOf(error.Time)) : null,
        TimeOf(snapshot.UpdateTime),
        snapshot.QrCode is { } qr ? new QrCodeSnapshot(qr.Code, TimeOf(qr.ExpireTime), qr.Sequence) : null);

    public static SessionError ToProto(this SessionProblem problem) => new()
    {
        Reason = problem.Reason,
        Message = problem.Message,
        Code = problem.Code,
        Time = Timestamp.FromDateTimeOffset(problem.Time),
    };

    private static DateTimeOffset TimeOf(Timestamp? time) => time?.ToDateTimeOffset() ?? default;
}
