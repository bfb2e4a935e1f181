using Berth.Runtime.Files;
using Berth.Runtime.Images;

namespace Berth.Runtime.Engine;

/// <summary><c>docker commit</c>: the writable layer as an OCI layer over the container's image, its config with the changes.</summary>
public sealed partial class ContainerFiles
{
    public async Task<string> CommitAsync(string idOrName, ContainerCommitSpec commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var record = records.Find(idOrName);
        var image = images.Inspect(record.ImageId);

        // Validate before reading a byte of the layer (moby: BuildFromConfig before CommitImage).
        var config = ImportChanges.ApplyCommit(ConfigOf(record, image), commit.Changes);
        string id;
        using (await slots.LockAsync(record.Id, cancellationToken).ConfigureAwait(false))
        {
            record = records.Get(record.Id);
            string upper = directories.PathsOf(record.Id).Upper;

            // moby freezes a running container for the commit (pause=1, the default), so the layer is one moment's.
            bool freeze = commit.Pause && runtime is not null && record is { Status: ContainerStatus.Running, Paused: false };
            if (freeze)
            {
                await runtime!.PauseAsync(record.Id.Value, cancellationToken).ConfigureAwait(false);
                events.Container(record, "pause");
            }

            try
            {
                id = await images.CommitContainerAsync(
                    new ImageCommit(record.ImageId, config, commit.Reference)
                    {
                        Author = commit.Author,
                        Comment = commit.Comment,
                        CreatedBy = string.Join(' ', config.Cmd ?? []),
                    },
                    (stream, token) => UpperLayerArchive.WriteAsync(upper, stream, runtime?.UserNamespace, token),
                    cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (freeze)
                {
                    await runtime!.ResumeAsync(record.Id.Value, CancellationToken.None).ConfigureAwait(false);
                    events.Container(record, "unpause");
                }
            }
        }

        events.Container(record, "commit", ("comment", commit.Comment), ("imageID", id), ("imageRef", commit.Reference ?? ""));
        return id;
    }

    /// <summary>
    /// The container's config as moby commits it: the image's, with what the container was created with over it
    /// (command, entrypoint, env by key, user, directory, labels, ports, volumes, healthcheck).
    /// </summary>
    internal static ContainerConfig ConfigOf(ContainerRecord record, ImageDetails image)
    {
        var spec = record.Spec;
        var baseConfig = image.Config.Config ?? new ContainerConfig();
        var env = new List<string>(baseConfig.Env ?? []);
        foreach (string entry in spec.Env)
        {
            string key = entry.Split('=', 2)[0];
            env.RemoveAll(e => e.Split('=', 2)[0] == key);
            env.Add(entry);
        }

        var labels = new Dictionary<string, string>(baseConfig.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in spec.Labels)
        {
            labels[key] = value;
        }

        var ports = new Dictionary<string, EmptyObject>(baseConfig.ExposedPorts ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
        foreach (var port in spec.ExposedPorts)
        {
            ports[port.ToString()] = EmptyObject.Instance;
        }

        var volumes = new Dictionary<string, EmptyObject>(baseConfig.Volumes ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
        foreach (string volume in spec.Volumes)
        {
            volumes[volume] = EmptyObject.Instance;
        }

        return baseConfig with
        {
            Entrypoint = spec.Entrypoint is { } entrypoint ? [.. entrypoint] : baseConfig.Entrypoint,
            Cmd = spec.Cmd is { } cmd ? [.. cmd] : spec.Entrypoint is null ? baseConfig.Cmd : null,
            Env = env.Count == 0 ? null : env,
            User = spec.User ?? baseConfig.User,
            WorkingDir = spec.WorkingDir ?? baseConfig.WorkingDir,
            Labels = labels.Count == 0 ? null : labels,
            ExposedPorts = ports.Count == 0 ? null : ports,
            Volumes = volumes.Count == 0 ? null : volumes,
            Healthcheck = spec.Healthcheck ?? baseConfig.Healthcheck,
        };
    }
}
