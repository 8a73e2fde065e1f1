using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wagate.Cluster.Membership;

/// <summary>What a worker publishes about itself under <c>/wagate/workers/{id}</c>, bound to
/// its lease (<see cref="LeaseId"/>): the key vanishes when the worker dies, which is how the
/// cluster learns of it. It is written again every <see cref="HeartbeatMillis"/> (0: the worker
/// promises no heartbeat), which is how the cluster learns sooner that a worker went quiet.</summary>
public sealed record WorkerRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("capacity")] int Capacity,
    [property: JsonPropertyName("sessionCount")] int SessionCount,
    [property: JsonPropertyName("processId")] int ProcessId,
    [property: JsonPropertyName("draining")] bool Draining,
    [property: JsonPropertyName("heartbeatTime")] DateTimeOffset HeartbeatTime,
    [property: JsonPropertyName("leaseId")] long LeaseId = 0,
    [property: JsonPropertyName("heartbeatMillis")] int HeartbeatMillis = 0)
{
    public const string Prefix = "/wagate/workers/";

    /// <summary>The key of a worker named <c>workers/{id}</c>.</summary>
    public static string KeyOf(string workerName) =>
        Prefix + (workerName.StartsWith("workers/", StringComparison.Ordinal) ? workerName["workers/".Length..] : workerName);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, MembershipJson.Default.WorkerRecord);

    public static WorkerRecord FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize(bytes, MembershipJson.Default.WorkerRecord)
        ?? throw new InvalidDataException("A worker record is empty.");
}

[JsonSerializable(typeof(WorkerRecord))]
internal sealed partial class MembershipJson : JsonSerializerContext;
