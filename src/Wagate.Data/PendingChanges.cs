using Microsoft.EntityFrameworkCore;

namespace Wagate.Data;

internal static class PendingChanges
{
    /// <summary>Forgets the rows a failed, rolled-back unit of work added or changed, so that the
    /// caller's next SaveChanges on this context does not try them again.</summary>
    public static void Discard(WagateDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
