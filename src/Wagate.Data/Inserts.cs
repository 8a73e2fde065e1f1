using Microsoft.EntityFrameworkCore;

namespace Wagate.Data;

internal static class Inserts
{
    /// <summary>Inserts <paramref name="rows"/> in one SaveChanges: all of them or none.</summary>
    /// <returns>False, having written none of them, when one collides with a unique index: of
    /// concurrent inserts of one key, exactly one wins.</returns>
    /// <remarks>The rows stay the caller's: saved or refused, the context keeps none of them, so
    /// a later save on a context the request shares cannot try them again.</remarks>
    public static async Task<bool> TryAddAsync(WagateDbContext db, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        var added = rows.ToList();
        db.AddRange(added);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException exception) when (DbErrors.IsUniqueViolation(exception))
        {
            return false;
        }
        finally
        {
            foreach (var row in added)
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }
}
