using Berth.Runtime.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.IntegrationTests.Images;

/// <summary>A fresh store root and scratch directory per test; everything is deleted on dispose.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ImageStoreFixture : IDisposable
{
    public ImageStoreFixture()
    {
        Root = Directory.CreateTempSubdirectory("berth-images-").FullName;
        Scratch = Directory.CreateTempSubdirectory("berth-images-scratch-").FullName;
        Store = new ImageStore(Root, NullLogger<ImageStore>.Instance);
    }

    public string Root { get; }

    public string Scratch { get; }

    public ImageStore Store { get; }

    public ImageStore Reopen() => new(Root, NullLogger<ImageStore>.Instance);

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(Root, recursive: true);
        Directory.Delete(Scratch, recursive: true);
    }
}
