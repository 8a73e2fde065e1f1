namespace Wagate.Data.Entities;

/// <summary>An API key. Only a hash of the secret is kept; <see cref="Prefix"/> is the public,
/// unique part of the key used to find the row without scanning.</summary>
public sealed class ApiKeyRecord
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string DisplayName { get; set; }
    public required string Prefix { get; set; }
    public required byte[] SecretHash { get; set; }
    /// <summary>Space-separated scope names, e.g. "sessions.read messages.send".</summary>
    public required string Scopes { get; set; }
    public required string CreatorUserId { get; set; }
    public DateTime CreateTime { get; set; }
    public DateTime? LastUseTime { get; set; }
}
