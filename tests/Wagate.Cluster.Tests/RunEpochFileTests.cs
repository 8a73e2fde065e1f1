using Xunit;

namespace Wagate.Cluster.Tests;

public sealed class RunEpochFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wagate-epoch-").FullName;

    private string EpochPath => Path.Combine(_directory, "run-epoch");

    [Fact]
    public void Every_run_starts_above_every_revision_of_the_run_before()
    {
        var first = RunEpochFile.BeginRun(EpochPath);
        var second = RunEpochFile.BeginRun(EpochPath);

        Assert.True(first > 0);
        Assert.True(second >= first + (1L << RunEpochFile.RevisionBits));
        Assert.False(File.Exists(EpochPath + ".next"));
    }

    [Fact]
    public void A_damaged_count_stops_the_start_naming_the_file()
    {
        File.WriteAllText(EpochPath, "garbage");

        var error = Assert.Throws<InvalidDataException>(() => RunEpochFile.BeginRun(EpochPath));

        Assert.Contains(EpochPath, error.Message);
        Assert.Equal("garbage", File.ReadAllText(EpochPath));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
