using System.Collections.Concurrent;

namespace Wagate.Core;

/// <summary>Group commit: items that arrive while the groups in hand are being committed go
/// together into the next one, and each item is answered once its group is. With one item in
/// flight a group is that item; with many, one commit carries dozens, so a durable write costs a
/// round trip per group instead of per item. Up to <c>writers</c> groups are committed side by
/// side, so one slow commit does not hold the others back; items of one group are not ordered
/// against those of another, so a caller that needs order between two of its items waits for the
/// first before it submits the second. Writers run only while there is work: an idle group
/// commit holds no thread or task, and needs disposing only to wait for what is in flight.</summary>
/// <typeparam name="TItem">What is committed.</typeparam>
/// <typeparam name="TResult">What each item's submitter is answered.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<Task<TResult>>>> _commit;
    private readonly int _maxWriters;
    private readonly int _maxGroup;
    private readonly string _stopping;
    private readonly ConcurrentQueue<(TItem Item, TaskCompletionSource<TResult> Done)> _pending = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _activeWriters;
    private bool _disposed;

    /// <param name="commit">Commits a group and answers each item of it, in order, with a
    /// completed task (its result or its own failure); a failure of the whole call fails every item
    /// of the group.</param>
    /// <param name="writers">How many groups may be committed at once.</param>
    /// <param name="maxGroup">The largest group.</param>
    /// <param name="stopping">The message of the error a submission gets once disposal began.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<Task<TResult>>>> commit, int writers, int maxGroup, string stopping)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(writers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxGroup);
        _commit = commit;
        _maxWriters = writers;
        _maxGroup = maxGroup;
        _stopping = stopping;
    }

    /// <summary>The item's answer once its group is committed. There is no cancelling: once handed
    /// over, an item is committed or refused whatever its submitter does next.</summary>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, _stopping);
            _pending.Enqueue((item, done));
            if (_activeWriters < _maxWriters)
            {
                _activeWriters++;
                _ = Task.Run(WriteGroupsAsync);
            }
        }
        return done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxGroup);
        while (true)
        {
            group.Clear();
            while (group.Count < _maxGroup && _pending.TryDequeue(out var pending))
            {
                group.Add(pending);
            }
            if (group.Count == 0)
            {
                lock (_gate)
                {
                    // Checked again under the gate: an item submitted since the last look is this
                    // writer's to commit, since its submitter saw it running and started none.
                    if (_pending.IsEmpty)
                    {
                        if (--_activeWriters == 0 && _disposed)
                        {
                            _idle.TrySetResult();
                        }
                        return;
                    }
                }
                continue;
            }
            await CommitAsync(group);
        }
    }

    private async Task CommitAsync(List<(TItem Item, TaskCompletionSource<TResult> Done)> group)
    {
        try
        {
            var outcomes = await _commit([.. group.Select(g => g.Item)]);
            for (var i = 0; i < group.Count; i++)
            {
                var outcome = outcomes[i];
                if (outcome.IsCompletedSuccessfully)
                {
                    group[i].Done.TrySetResult(outcome.Result);
                }
                else
                {
                    group[i].Done.TrySetException(outcome.Exception?.InnerExceptions ?? [new OperationCanceledException()]);
                }
            }
        }
        catch (Exception failed)
        {
            foreach (var (_, done) in group)
            {
                done.TrySetException(failed);
            }
        }
    }

    /// <summary>Refuses new items and waits for those handed over to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_activeWriters == 0)
            {
                return;
            }
        }
        await _idle.Task;
    }
}
