namespace Wagate.Data.Entities;

/// <summary>A person who signs in. Email is stored normalised (trimmed, lower case) so the
/// unique index is case-insensitive on every provider.</summary>
public sealed class UserRecord
{
    public required string Id { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public required string PasswordHash { get; set; }
    public required string TenantId { get; set; }
    public UserRole Role { get; set; } = UserRole.Owner;
    public bool PlatformAdmin { get; set; }
    public DateTime CreateTime { get; set; }
}

public enum UserRole
{
    Owner = 1,
    Member = 2,
}
