using System.Text.Json;
using System.Text.Json.Serialization;
using Wagate.Core;

namespace Wagate.Cluster.Placement;

/// <summary>The value of a session's key under <see cref="ClusterKeys.Sessions"/>: that it should
/// run, with which engine, and a generation a restart raises, which tells the owning worker to
/// stop the session and start it afresh.</summary>
public sealed record DesiredSession(
    [property: JsonPropertyName("engine")] int Engine,
    [property: JsonPropertyName("generation")] long Generation)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, DesiredSessionJson.Default.DesiredSession);

    public static DesiredSession FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize(bytes, DesiredSessionJson.Default.DesiredSession)
        ?? throw new InvalidDataException("A desired session is empty.");
}

[JsonSerializable(typeof(DesiredSession))]
internal sealed partial class DesiredSessionJson : JsonSerializerContext;
