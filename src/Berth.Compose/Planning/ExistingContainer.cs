using System.Globalization;
using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Compose.Planning;

/// <summary>
/// A container of the project as the daemon lists it (<c>GET /containers/json?all=1</c> with the project's label filter),
/// made by berth compose or by docker-compose: the compose labels say which service and number it is.
/// </summary>
public sealed record ExistingContainer(string Id, string Name, string Service, int Number, string ConfigHash, string State, string NetworkMode, bool OneOff)
{
    public bool Running => State is "running" or "restarting";

    public static ExistingContainer FromSummary(ContainerSummary summary)
    {
        var labels = summary.Labels;
        return new ExistingContainer(
            summary.Id,
            summary.Names.FirstOrDefault()?.TrimStart('/') ?? ComposeNames.ShortId(summary.Id),
            labels.GetValueOrDefault(ComposeLabels.Service) ?? "",
            int.TryParse(labels.GetValueOrDefault(ComposeLabels.ContainerNumber), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0,
            labels.GetValueOrDefault(ComposeLabels.ConfigHash) ?? "",
            summary.State,
            summary.HostConfig.NetworkMode ?? "",
            labels.GetValueOrDefault(ComposeLabels.OneOff) == ComposeNames.True);
    }
}
