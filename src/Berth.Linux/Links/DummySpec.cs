namespace Berth.Linux.Links;

/// <summary>A dummy device (needs CONFIG_DUMMY; some kernels, such as this project's CI VMs, lack it).</summary>
public sealed record DummySpec : LinkSpec
{
    public DummySpec(string name)
        : base(name)
    {
    }

    public override string Kind => "dummy";
}
