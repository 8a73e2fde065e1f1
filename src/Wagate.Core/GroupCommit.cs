using System.Threading.Channels;

namespace Wagate.Core;

/// <summary>Group commit: items that arrive while the groups in hand are being committed go
/// together into the next one, and each item is answered once its group is. With one item in
/// flight a group is that item; with many, one commit carries dozens, so a durable write costs a
/// round trip per group instead of per item. <c>writers</c> groups are committed side by side, so
/// one slow commit does not hold the others back; items of one group are not ordered against
/// those of another, so a caller that needs order between two of its items waits for the first
/// before it submits the second.</summary>
/// <typeparam name="TItem">What is committed.</typeparam>
/// <typeparam name="TResult">What each item's submitter is answered.</typeparam>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<Task<TResult>>>> _commit;
    private readonly int _maxGroup;
    private readonly string _stopping;
    private readonly Channel<(TItem Item, TaskCompletionSource<TResult> Done)> _pending =
        Channel.CreateUnbounded<(TItem, TaskCompletionSource<TResult>)>();
    private readonly Task[] _writers;

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
        _maxGroup = maxGroup;
        _stopping = stopping;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteGroupsAsync))];
    }

    /// <summary>The item's answer once its group is committed. There is no cancelling: once handed
    /// over, an item is committed or refused whatever its submitter does next.</summary>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((item, done)))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), _stopping);
        }
        return done.Task;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(_maxGroup);
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < _maxGroup && _pending.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }
            if (group.Count == 0)
            {
                continue; // another writer took them
            }
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
    }

    /// <summary>Commits what was submitted, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }
}
