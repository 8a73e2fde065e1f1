using System.Text.Json;
using System.Text.Json.Serialization;
using SessionState = Wagate.Contracts.Session.V1.Session.Types.State;

namespace Wagate.Core;

/// <summary>A session's status as its owner publishes it under <see cref="ClusterKeys.Status"/>:
/// what gateways show for the session without calling the worker. QR codes stay out of it: they
/// change every few seconds and are read live from the worker.</summary>
public sealed record SessionStatusRecord(
    [property: JsonPropertyName("worker")] string Worker,
    [property: JsonPropertyName("state")] int State,
    [property: JsonPropertyName("phoneNumber")] string PhoneNumber,
    [property: JsonPropertyName("error")] SessionStatusError? Error,
    [property: JsonPropertyName("updateTime")] DateTimeOffset UpdateTime)
{
    public static SessionStatusRecord Of(string worker, SessionSnapshot snapshot) => new(
        worker,
        (int)snapshot.State,
        snapshot.PhoneNumber,
        snapshot.LastError is { } error ? new SessionStatusError(error.Reason, error.Message, error.Code, error.Time) : null,
        snapshot.UpdateTime);

    public SessionSnapshot ToSnapshot() => new(
        (SessionState)State,
        PhoneNumber,
        Error is { } error ? new SessionProblem(error.Reason, error.Message, error.Code, error.Time) : null,
        UpdateTime,
        QrCode: null);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, SessionStatusJson.Default.SessionStatusRecord);

    public static SessionStatusRecord FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize(bytes, SessionStatusJson.Default.SessionStatusRecord)
        ?? throw new InvalidDataException("A session status is empty.");
}

public sealed record SessionStatusError(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("time")] DateTimeOffset Time);

[JsonSerializable(typeof(SessionStatusRecord))]
internal sealed partial class SessionStatusJson : JsonSerializerContext;
