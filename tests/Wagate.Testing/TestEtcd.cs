namespace Wagate.Testing;

/// <summary>The etcd tools/test starts on loopback. Each caller gets a key prefix of its own, so tests
/// never see each other's keys; revisions and compaction are shared by all.</summary>
public static class TestEtcd
{
    public const string Variable = "WAGATE_TEST_ETCD";

    /// <summary>The client URL, e.g. http://127.0.0.1:2379.</summary>
    public static Uri Endpoint => new(TestServerVariable.Read(Variable, "etcd"));

    /// <summary>A key prefix no one has used yet, e.g. "/wagate-test-0123456789ab/".</summary>
    public static string NewKeyPrefix() => "/wagate-test-" + Guid.NewGuid().ToString("N")[..12] + "/";
}
