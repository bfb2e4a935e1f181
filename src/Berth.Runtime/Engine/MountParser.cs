using System.Collections.Immutable;
using Berth.Core.Errors;

namespace Berth.Runtime.Engine;

/// <summary>
/// Docker's mount rules (moby <c>volume/mounts/linux_parser.go</c>, <c>daemon/volumes.go</c>): <c>-v</c> strings,
/// <c>--mount</c> specs and anonymous volumes (<c>Config.Volumes</c>, the image's VOLUMEs) into one list of
/// mounts, each destination once, with Docker's messages for what is wrong. Pure: no volume is made here.
/// </summary>
public static class MountParser
{
    private static readonly ImmutableHashSet<string> Propagations = ["private", "rprivate", "slave", "rslave", "shared", "rshared"];
    private static readonly ImmutableHashSet<string> Consistencies = ["consistent", "cached", "delegated"];

    /// <summary>The propagations Berth applies; others are refused rather than silently made private.</summary>
    private static readonly ImmutableHashSet<string> SupportedPropagations = ["private", "rprivate"];

    /// <summary>
    /// Every mount of a container to be: <c>-v</c> binds, then <c>--mount</c>s, then anonymous volumes for
    /// <c>Config.Volumes</c> and the image's VOLUMEs on destinations nothing else covers.
    /// </summary>
    public static IReadOnlyList<MountSpec> Plan(ContainerCreateSpec spec, IEnumerable<string> imageVolumes)
    {
        var planned = new List<MountSpec>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (string raw in spec.Binds)
        {
            var bind = ParseBind(raw);
            if (!taken.Add(bind.Target))
            {
                throw Duplicate(bind.Target);
            }

            planned.Add(bind);
        }

        foreach (var requested in spec.Mounts)
        {
            var mount = Validate(requested);
            if (!taken.Add(mount.Target))
            {
                throw Duplicate(requested.Target);
            }

            planned.Add(mount);
        }

        foreach (string path in spec.Volumes.Concat(imageVolumes))
        {
            string target = Clean(path);
            if (target.Length == 0 || !target.StartsWith('/'))
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"invalid mount path: '{path}' mount path must be absolute");
            }

            if (taken.Add(target))
            {
                planned.Add(new MountSpec { Type = MountSpec.VolumeType, Target = target, Implicit = true });
            }
        }

        return planned;
    }

    /// <summary><c>SOURCE:TARGET[:MODE]</c> or <c>TARGET</c>; an absolute source is a bind, anything else a volume name.</summary>
    public static MountSpec ParseBind(string raw)
    {
        string[] parts = raw.Split(':', 4);
        if (parts[0].Length == 0)
        {
            throw InvalidSpec(raw);
        }

        (string source, string target, string mode) = parts.Length switch
        {
            1 => ("", parts[0], ""),
            2 when IsValidMode(parts[1]) => throw InvalidSpec(raw),
            2 => (parts[0], parts[1], ""),
            3 => (parts[0], parts[1], parts[2]),
            _ => throw InvalidSpec(raw),
        };
        if (!IsValidMode(mode))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"invalid mode: {mode}");
        }

        var modes = mode.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var spec = new MountSpec
        {
            Type = source.StartsWith('/') ? MountSpec.BindType : MountSpec.VolumeType,
            Source = source,
            Target = target,
            ReadOnly = modes.Contains("ro"),
            Mode = mode,
            NoCopy = modes.Contains("nocopy"),
            Propagation = modes.FirstOrDefault(Propagations.Contains),
            FromBindString = true,
        };
        try
        {
            return Validate(spec);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{InvalidSpec(raw).Message}: {e.Message}", e);
        }
    }

    /// <summary>Checks one mount (moby <c>validateMountConfigImpl</c>) and returns it with its target cleaned.</summary>
    public static MountSpec Validate(MountSpec mount)
    {
        string type = mount.Type;
        if (mount.Target.Length == 0)
        {
            throw Config(type, "field Target must not be empty");
        }

        string target = Clean(mount.Target);
        if (target == "/")
        {
            throw Config(type, "invalid specification: destination can't be '/'");
        }

        if (!target.StartsWith('/'))
        {
            throw Config(type, $"invalid mount path: '{mount.Target}' mount path must be absolute");
        }

        switch (type)
        {
            case MountSpec.BindType:
                if (mount.Source.Length == 0)
                {
                    throw Config(type, "field Source must not be empty");
                }

                if (!mount.Source.StartsWith('/'))
                {
                    throw Config(type, $"invalid mount path: '{mount.Source}' mount path must be absolute");
                }

                if (mount.Propagation is { Length: > 0 } propagation && !SupportedPropagations.Contains(propagation))
                {
                    throw Propagations.Contains(propagation)
                        ? Config(type, $"propagation \"{propagation}\" is not supported by Berth (binds are rprivate); leave it out")
                        : Config(type, $"invalid propagation mode: {propagation}");
                }

                if (!mount.FromBindString && !mount.CreateMountpoint && !Path.Exists(mount.Source))
                {
                    throw Config(type, $"bind source path does not exist: {mount.Source}");
                }

                return mount with { Target = target, Source = Clean(mount.Source) };
            case MountSpec.VolumeType:
                if (mount.Propagation is { Length: > 0 })
                {
                    throw Config(type, "field BindOptions must not be specified");
                }

                return mount with { Target = target };
            case MountSpec.TmpfsType:
                if (mount.Source.Length > 0)
                {
                    throw Config(type, "field Source must not be specified");
                }

                if (mount.Propagation is { Length: > 0 })
                {
                    throw Config(type, "field BindOptions must not be specified");
                }

                if (mount.TmpfsSize < 0)
                {
                    throw Config(type, $"invalid tmpfs size {mount.TmpfsSize}: give a size in bytes");
                }

                return mount with { Target = target };
            case "npipe" or "cluster" or "image":
                throw Config(type, $"mounts of type \"{type}\" are not supported by Berth; use type=volume, type=bind or type=tmpfs");
            default:
                throw Config(type, "mount type unknown");
        }
    }

    /// <summary>Go's <c>path.Clean</c> for absolute and relative paths: no empty, <c>.</c> or (at the top) <c>..</c> components.</summary>
    public static string Clean(string path)
    {
        bool absolute = path.StartsWith('/');
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !absolute)
            {
                parts.Add(part);
            }
        }

        string joined = string.Join('/', parts);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>moby's <c>linuxValidMountMode</c>: comma-separated, at most one of each kind.</summary>
    private static bool IsValidMode(string mode)
    {
        if (mode.Length == 0)
        {
            return true;
        }

        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string option in mode.Split(','))
        {
            string? kind = option switch
            {
                "ro" or "rw" => "rw",
                "z" or "Z" => "label",
                "nocopy" => "copy",
                _ when Propagations.Contains(option) => "propagation",
                _ when Consistencies.Contains(option) => "consistency",
                _ => null,
            };
            if (kind is null || (kinds[kind] = kinds.GetValueOrDefault(kind) + 1) > 1)
            {
                return false;
            }
        }

        return true;
    }

    private static BerthException InvalidSpec(string raw) => new(ErrorKind.InvalidArgument, $"invalid volume specification: '{raw}'");

    private static BerthException Config(string type, string detail) => new(ErrorKind.InvalidArgument, $"invalid mount config for type \"{type}\": {detail}");

    private static BerthException Duplicate(string target) => new(ErrorKind.InvalidArgument, $"Duplicate mount point: {target}");
}
