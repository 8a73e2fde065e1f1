using System.Text;
using Google.Protobuf;

namespace Wagate.Cluster;

/// <summary>Our keys as etcd's: UTF-8 bytes under <see cref="EtcdCoordinatorOptions.KeyPrefix"/>.</summary>
internal sealed class EtcdKeyspace(string root)
{
    public ByteString Key(string key) => ByteString.CopyFromUtf8(root + key);

    public string Name(ByteString key) => key.ToStringUtf8()[root.Length..];

    public KeyValue ToKeyValue(Mvccpb.KeyValue stored) =>
        new(Name(stored.Key), stored.Value.ToByteArray(), stored.CreateRevision, stored.ModRevision, stored.Lease);

    /// <summary>etcd's range [Key, RangeEnd) of every key that starts with <paramref name="prefix"/>.</summary>
    public (ByteString Key, ByteString RangeEnd) Prefix(string prefix)
    {
        var start = Encoding.UTF8.GetBytes(root + prefix);
        if (start.Length == 0)
        {
            // etcd's spelling of "every key": from "\0" to the end ("\0").
            return (ByteString.CopyFrom(0), ByteString.CopyFrom(0));
        }
        var end = (byte[])start.Clone();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < byte.MaxValue)
            {
                end[i]++;
                return (ByteString.CopyFrom(start), ByteString.CopyFrom(end, 0, i + 1));
            }
        }
        // Only 0xFF bytes (never UTF-8): no key above the prefix bounds the range, so run to the end.
        return (ByteString.CopyFrom(start), ByteString.CopyFrom(0));
    }
}
