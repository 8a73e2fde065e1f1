using System.Text;
using Wagate.Server;
using Wagate.Storage;
using Xunit;

namespace Wagate.Gateway.Tests.Unit;

public sealed class RunEpochTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wagate-epoch-").FullName;

    private LocalDirectoryBlobStore Blobs => new(_directory);

    [Fact]
    public async Task Every_run_starts_above_every_revision_of_the_run_before()
    {
        var first = await RunEpoch.BeginRunAsync(Blobs);
        var second = await RunEpoch.BeginRunAsync(Blobs);

        Assert.True(second >= first + (1L << RunEpoch.RevisionBits));
    }

    [Fact]
    public async Task The_first_run_starts_above_the_clock_tick_tokens_of_earlier_versions()
    {
        var first = await RunEpoch.BeginRunAsync(Blobs);

        Assert.True(first > DateTime.MaxValue.Ticks);
    }

    [Fact]
    public async Task A_damaged_count_stops_the_start_naming_it()
    {
        await Blobs.PutAsync(RunEpoch.Key, Encoding.ASCII.GetBytes("garbage"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => RunEpoch.BeginRunAsync(Blobs));

        Assert.Contains(RunEpoch.Key, error.Message);
        Assert.Equal("garbage", Encoding.ASCII.GetString((await Blobs.GetAsync(RunEpoch.Key))!));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
