using System.Text;
using Wagate.Core;
using Wagate.Worker.Runtime;
using Wagate.Worker.State;
using Xunit;

namespace Wagate.Worker.Tests;

/// <summary>One suite for every manifest store: the single node's (the manifest object in the blob
/// store) and the cluster's (a coordinator key, on each coordinator). Whatever "owning a session"
/// means to the store, an older owner's commit must change nothing once a newer owner has taken the
/// session over, and sessions must never see each other's manifests.</summary>
public abstract class SessionManifestStoreConformanceTests : IAsyncLifetime
{
    protected static readonly SessionKey Session = new("tn1", "s1");

    /// <summary>The store under test.</summary>
    protected abstract ISessionManifestStore Manifests { get; }

    /// <summary>Makes the session owned by a new writer, as a first start or a failover would, and
    /// returns that writer's fencing token; every earlier owner's token is older.</summary>
    protected abstract Task<long> HandToNewOwnerAsync(SessionKey session);

    /// <summary>The session's manifest as it rests in the store's backing storage; null when absent.</summary>
    protected abstract Task<byte[]?> StoredAsync(SessionKey session);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_session_with_nothing_committed_has_no_manifest()
    {
        Assert.Null(await Manifests.ReadAsync(Session));
    }

    [Fact]
    public async Task An_owners_commit_reads_back_and_its_next_commit_replaces_it()
    {
        var token = await HandToNewOwnerAsync(Session);

        Assert.True(await Manifests.CommitAsync(Session, token, Bytes("m1")));
        Assert.Equal("m1", await ReadTextAsync(Session));

        Assert.True(await Manifests.CommitAsync(Session, token, Bytes("m2")));
        Assert.Equal("m2", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task An_older_owners_commit_after_a_newer_owner_committed_is_refused_and_changes_nothing()
    {
        var older = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, older, Bytes("older")));
        var newer = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, newer, Bytes("newer")));

        var staleCommitted = await Manifests.CommitAsync(Session, older, Bytes("stale"));

        Assert.True(newer > older);
        Assert.False(staleCommitted);
        Assert.Equal("newer", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task Parallel_commits_of_an_older_and_a_newer_owner_leave_a_manifest_of_the_newer_owner()
    {
        var older = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, older, Bytes("older-0")));
        var newer = await HandToNewOwnerAsync(Session);

        var commits = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => i % 2 == 0
            ? Manifests.CommitAsync(Session, newer, Bytes($"newer-{i}"))
            : Manifests.CommitAsync(Session, older, Bytes($"older-{i}"))));

        Assert.All(commits.Where((_, i) => (i + 1) % 2 == 0), Assert.True);
        Assert.StartsWith("newer-", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task An_owners_delete_removes_the_manifest_and_deleting_a_missing_one_is_not_an_error()
    {
        var token = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, token, Bytes("m1")));

        Assert.True(await Manifests.DeleteAsync(Session, token));

        Assert.Null(await Manifests.ReadAsync(Session));
        Assert.True(await Manifests.DeleteAsync(Session, token));
        Assert.Null(await Manifests.ReadAsync(Session));
    }

    [Fact]
    public async Task An_older_owners_delete_is_refused_and_the_newer_owners_manifest_stays()
    {
        var older = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, older, Bytes("older")));
        var newer = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, newer, Bytes("newer")));

        Assert.False(await Manifests.DeleteAsync(Session, older));

        Assert.Equal("newer", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task After_a_delete_an_older_owners_commit_is_refused_and_a_newer_owner_commits_again()
    {
        var older = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, older, Bytes("credentials")));
        var wiper = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.DeleteAsync(Session, wiper));

        // The older owner wakes up and flushes what it holds: the wiped credentials stay wiped.
        Assert.False(await Manifests.CommitAsync(Session, older, Bytes("credentials")));
        Assert.Null(await Manifests.ReadAsync(Session));

        // The session created again is owned anew, and its owner writes as usual.
        var next = await HandToNewOwnerAsync(Session);
        Assert.True(await Manifests.CommitAsync(Session, next, Bytes("fresh")));
        Assert.Equal("fresh", await ReadTextAsync(Session));
    }

    [Fact]
    public async Task Sessions_do_not_see_each_others_manifests()
    {
        var sameTenant = Session with { SessionId = "s2" };
        var otherTenant = Session with { TenantId = "tn2" };
        foreach (var session in new[] { Session, sameTenant, otherTenant })
        {
            Assert.True(await Manifests.CommitAsync(session, await HandToNewOwnerAsync(session), Bytes(session.Name)));
        }

        Assert.True(await Manifests.DeleteAsync(sameTenant, await HandToNewOwnerAsync(sameTenant)));

        Assert.Equal(Session.Name, await ReadTextAsync(Session));
        Assert.Null(await Manifests.ReadAsync(sameTenant));
        Assert.Equal(otherTenant.Name, await ReadTextAsync(otherTenant));
    }

    [Fact]
    public async Task A_manifest_is_sealed_at_rest()
    {
        var plaintext = Bytes("sessions/tn1/s1/1/0000000001 names the credentials");

        Assert.True(await Manifests.CommitAsync(Session, await HandToNewOwnerAsync(Session), plaintext));

        var stored = await StoredAsync(Session);
        Assert.NotNull(stored);
        Assert.Equal(-1, stored.AsSpan().IndexOf(plaintext.AsSpan(0, 16)));
        Assert.Equal(plaintext, await Manifests.ReadAsync(Session));
    }

    [Fact]
    public async Task A_fencing_token_that_is_not_positive_is_refused_before_anything_is_written()
    {
        await HandToNewOwnerAsync(Session);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Manifests.CommitAsync(Session, 0, Bytes("m1")));

        Assert.Null(await Manifests.ReadAsync(Session));
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected async Task<string?> ReadTextAsync(SessionKey session) =>
        await Manifests.ReadAsync(session) is { } manifest ? Encoding.UTF8.GetString(manifest) : null;
}
