using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Volumes;

/// <summary>
/// What <c>volume ls --format</c> sees, docker's <c>volumeContext</c>: every field a string; <c>.Labels</c> is
/// <c>k=v,...</c> sorted, <c>.Label "k"</c> one label, Links and Size <c>N/A</c> (the list has no usage data),
/// the cluster fields <c>N/A</c>.
/// </summary>
public sealed class VolumeRow : StringFieldsRow
{
    private const string NotAvailable = "N/A";

    private readonly Volume _volume;

    public VolumeRow(Volume volume)
        : base("*formatter.volumeContext")
    {
        _volume = volume;
        Fields["Availability"] = NotAvailable;
        Fields["Driver"] = volume.Driver;
        Fields["Group"] = NotAvailable;
        Fields["Labels"] = string.Join(",", (volume.Labels ?? []).Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal));
        Fields["Links"] = NotAvailable;
        Fields["Mountpoint"] = volume.Mountpoint;
        Fields["Name"] = volume.Name;
        Fields["Scope"] = volume.Scope;
        Fields["Size"] = NotAvailable;
        Fields["Status"] = NotAvailable;
    }

    public override bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        if (name != "Label" || arguments.Count != 1 || arguments[0] is not string key)
        {
            return false;
        }

        value = _volume.Labels?.GetValueOrDefault(key) ?? "";
        return true;
    }
}
