using Google.Protobuf.WellKnownTypes;

namespace Wagate.Data;

/// <summary>Times as the database keeps them: UTC, to the microsecond.</summary>
internal static class DbTimes
{
    /// <summary>PostgreSQL keeps microseconds, .NET ticks are 100 ns: times are cut before they
    /// are stored, so what a write returns equals what a read returns later (page tokens built
    /// from either compare equal). A time of unspecified kind is taken as UTC.</summary>
    public static DateTime Normalize(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>SQLite hands DateTime back with an unspecified kind; every stored time is UTC.</summary>
    public static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    public static Timestamp ToTimestamp(DateTime time) => Timestamp.FromDateTime(Utc(time));

    public static Timestamp? ToTimestamp(DateTime? time) => time is { } value ? ToTimestamp(value) : null;
}
