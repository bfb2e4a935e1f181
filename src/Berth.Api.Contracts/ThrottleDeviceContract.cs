namespace Berth.Api.Contracts;

/// <summary>Docker's <c>ThrottleDevice</c>: <c>{"Path": "/dev/sda", "Rate": 1048576}</c>.</summary>
public sealed class ThrottleDeviceContract
{
    public string Path { get; set; } = "";

    public ulong Rate { get; set; }
}
