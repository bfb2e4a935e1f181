using System.Collections.Immutable;
using Berth.Cli.Client;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// Makes the project's named volumes that are missing (all it declares, as docker-compose does) and checks that external
    /// ones exist; an existing volume is used as it is, with a warning when it belongs to another project.
    /// </summary>
    public async Task EnsureVolumesAsync(ProjectPlan plan, CancellationToken cancellationToken)
    {
        foreach (var volume in plan.Volumes)
        {
            var existing = await api.VolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false);
            if (volume.External)
            {
                if (existing is null)
                {
                    throw new StatusException(ExitCodes.Failure,
                        $"Volume {volume.Name} declared as external, but could not be found. Please create the volume manually using `berth volume create {volume.Name}` and try again.");
                }

                continue;
            }

            if (existing is not null)
            {
                var owner = existing.Labels?.GetValueOrDefault(ComposeLabels.Project);
                if (owner is not null && owner != plan.ProjectName)
                {
                    Status($"WARNING: Volume {volume.Name} already exists but was created for project \"{owner}\" (expected \"{plan.ProjectName}\"). Use `external: true` to use an existing volume");
                }

                continue;
            }

            var driver = volume.Create!.Driver;
            Status($"Creating volume \"{volume.Name}\" with " + (driver is null ? "default driver" : $"{driver} driver"));
            await api.CreateVolumeAsync(volume.Create, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>down -v</c>: removes the project's named volumes, never an external one; one that is not there is fine.</summary>
    private async Task RemoveVolumesAsync(ImmutableArray<VolumePlan> volumes, List<string> errors, CancellationToken cancellationToken)
    {
        foreach (var volume in volumes.Where(v => !v.External))
        {
            try
            {
                if (await api.RemoveVolumeAsync(volume.Name, cancellationToken).ConfigureAwait(false))
                {
                    Status($"Removing volume {volume.Name}");
                }
            }
            catch (DaemonErrorException e)
            {
                errors.Add($"ERROR: volume {volume.Name}: {e.Message}");
            }
        }
    }
}
