namespace Wagate.Cluster;

/// <summary>A write was bound to a lease the store no longer has (expired or revoked); nothing was
/// written. The holder has lost that lease.</summary>
public sealed class LeaseNotFoundException : Exception
{
    public LeaseNotFoundException()
    {
    }

    public LeaseNotFoundException(string message) : base(message)
    {
    }

    public LeaseNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
