using Microsoft.EntityFrameworkCore;

namespace Wagate.Data;

/// <summary>One page of rows in id order, ascending or descending (AIP-158 keyset pages);
/// <see cref="NextAfterId"/> is the id of the page's last row, where the next page starts (in
/// the list's order), null on the last page.</summary>
public sealed record RecordPage<T>(IReadOnlyList<T> Items, string? NextAfterId);

internal static class RecordPages
{
    /// <summary>The first <paramref name="pageSize"/> rows of <paramref name="ordered"/>, already
    /// filtered to start after the previous page. One row more than asked tells whether there is
    /// a next page without a second query.</summary>
    public static async Task<RecordPage<T>> ReadAsync<T>(
        IOrderedQueryable<T> ordered, int pageSize, Func<T, string> idOf, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var rows = await ordered.Take(pageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Take(pageSize).ToList();
        return new RecordPage<T>(page, rows.Count > pageSize ? idOf(page[^1]) : null);
    }
}
