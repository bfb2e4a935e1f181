namespace Berth.Api.Contracts;

/// <summary>Docker's <c>WeightDevice</c>: <c>{"Path": "/dev/sda", "Weight": 200}</c>.</summary>
public sealed class WeightDeviceContract
{
    public string Path { get; set; } = "";

    public ushort Weight { get; set; }
}
