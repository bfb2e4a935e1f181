using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>How each side's answers are read and normalised before they are compared.</summary>
public sealed partial class BuildComparisonTests
{
    /// <summary>Inspect fields that must differ (or that Berth's API version leaves out), and why.</summary>
    private static readonly Dictionary<string, string> IgnoredInspectFields = new(StringComparer.Ordinal)
    {
        ["Id"] = "the sha256 of the image config, which holds creation times",
        ["Created"] = "a time",
        ["Metadata.LastTagTime"] = "a time (Berth keeps none: zero)",
        ["RootFS.Layers"] = "diff ids hash the layer tars, whose modification times differ; their number is compared",
        ["Parent"] = "an id: Docker links each step's image to the one before; Berth's store keeps no parent links (not done)",
        ["Container"] = "the id of the container that committed the last step; gone from API 1.45, which Berth speaks",
        ["ContainerConfig"] = "deprecated and gone from API 1.45 (Berth's); Docker's holds the last step's command, which the history shows",
        ["VirtualSize"] = "gone from API 1.44; it always equalled Size",
        ["DockerVersion"] = "the daemon's version (Berth writes none, as BuildKit does not)",
        ["GraphDriver"] = "the storage: vfs for the lab's dockerd, overlay for Berth, with their directories",
    };

    /// <summary>Lines of a build's output that name ids, or that Berth leaves out by design.</summary>
    private static readonly string[] DroppedOutputPrefixes =
    [
        " ---> ",                           // image ids, "Using cache", and "Running in <container id>"
        "Removing intermediate container ", // a container id; Berth makes no container for a metadata step, so says it only for RUN
        "Successfully built ",              // the image id
        "Sending build context to Docker daemon", // the CLI's, the same for both
        "DEPRECATED: ",                     // the CLI's legacy-builder warning (and its indented lines below)
        "            ",
    ];

    /// <summary>A COPY/ADD source's digest in created_by: moby's is a tarsum over tar headers holding the owner *names* the
    /// client and daemon hosts look up, Berth's a content checksum of its own; the kind (file, dir, multi) is compared.</summary>
    [GeneratedRegex("(file|dir|multi):[0-9a-f]{64}")]
    private static partial Regex SourceDigest();

    private const string StderrEnd = "\u001b[0m";

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex ImageId();

    private static string BuildOutput(CmdResult result, string? skippedStage = null) =>
        $"exit {result.ExitCode}\n--- stdout ---\n{Kept(Without(result.Output, skippedStage))}--- stderr ---\n{Kept(result.Error)}";

    /// <summary>The output without a stage's steps: from its FROM line to the next stage's.</summary>
    private static string Without(string output, string? stage)
    {
        if (stage is null)
        {
            return output;
        }

        bool inside = false;
        var kept = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("Step ", StringComparison.Ordinal) && line.Contains(" : FROM ", StringComparison.Ordinal))
            {
                inside = line.EndsWith(" AS " + stage, StringComparison.Ordinal);
            }

            if (!inside)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }

    // A RUN's stderr ends with a colour reset that the next line (Removing intermediate container …) follows directly.
    private static string Kept(string output) =>
        string.Concat(output.Split('\n')
            .Select(l => l.StartsWith(StderrEnd, StringComparison.Ordinal) && l.Length > StderrEnd.Length ? [StderrEnd, l[StderrEnd.Length..]] : new[] { l })
            .SelectMany(l => l)
            .Where(l => l.Length > 0 && !DroppedOutputPrefixes.Any(p => l.StartsWith(p, StringComparison.Ordinal)))
            .Select(l => UnusedBuildArgs().Replace(l, m => m.Groups[1].Value + string.Join(' ', m.Groups[2].Value.Split(' ').Order(StringComparer.Ordinal)) + m.Groups[3].Value))
            .Select(l => l + "\n"));

    /// <summary>The unconsumed build-args warning: Docker 20.10 lists them in Go's map order, which changes from run to run; their set is compared.</summary>
    [GeneratedRegex(@"^(\[Warning\] One or more build-args \[)([^\]]*)(\] were not consumed)$")]
    private static partial Regex UnusedBuildArgs();

    /// <summary><c>docker image inspect</c> flattened to <c>path → JSON value</c>, ignored fields out, ids as <c>sha256:&lt;id&gt;</c>.</summary>
    private static SortedDictionary<string, string> Inspect(Side side, string image)
    {
        using var document = JsonDocument.Parse(side.Checked("image", "inspect", image).Output);
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(document.RootElement[0], "", fields);
        fields["RootFS.Layers (count)"] = document.RootElement[0].GetProperty("RootFS").GetProperty("Layers").GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string path in fields.Keys.Where(IsIgnored).ToList())
        {
            fields.Remove(path);
        }

        // Config.Image is the step's parent image: an id, whose presence is compared.
        foreach (var (path, value) in fields.ToList())
        {
            fields[path] = ImageId().Replace(value, "sha256:<id>");
        }

        return fields;
    }

    private static bool IsIgnored(string path) =>
        IgnoredInspectFields.Keys.Any(k => path == k || path.StartsWith(k + ".", StringComparison.Ordinal) || path.StartsWith(k + "[", StringComparison.Ordinal));

    private static void Flatten(JsonElement element, string path, SortedDictionary<string, string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.EnumerateObject().Any():
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, into);
                }

                break;
            case JsonValueKind.Array when element.GetArrayLength() > 0:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{path}[{index++}]", into);
                }

                break;
            default:
                into[path] = element.GetRawText();
                break;
        }
    }

    /// <summary>The image config's history as <c>docker save</c> writes it: created_by (digests normalised), empty_layer, author, comment; and the layer count.</summary>
    private string SavedHistory(Side side, string image)
    {
        string tar = Path.Combine(TestRoot, "compare", $"{side.Name}-{image.Replace(':', '-')}.tar");
        side.Checked("save", "-o", tar, image);
        var json = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = new TarReader(File.OpenRead(tar)))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                // Configs and manifests are small; layers are not needed.
                if (entry.DataStream is { Length: < 1 << 20 } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    json[entry.Name.TrimStart('.', '/')] = copy.ToArray();
                }
            }
        }

        File.Delete(tar);
        using var manifest = JsonDocument.Parse(json["manifest.json"]);
        using var config = JsonDocument.Parse(json[manifest.RootElement[0].GetProperty("Config").GetString()!]);
        var text = new StringBuilder();
        foreach (var step in config.RootElement.GetProperty("history").EnumerateArray())
        {
            bool empty = step.TryGetProperty("empty_layer", out var flag) && flag.GetBoolean();
            string createdBy = step.TryGetProperty("created_by", out var command) ? SourceDigest().Replace(command.GetString()!, "$1:<digest>") : "";
            string author = step.TryGetProperty("author", out var who) ? " | author " + who.GetString() : "";
            string comment = step.TryGetProperty("comment", out var why) ? " | comment " + why.GetString() : "";
            text.Append(empty ? "empty " : "layer ").Append(createdBy).Append(author).Append(comment).Append('\n');
        }

        return text.Append("layers: ").Append(config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").GetArrayLength()).Append('\n').ToString();
    }

    /// <summary><c>docker history</c>'s steps (the IMAGE column left out: Berth has no parent links, so only the top row has an id).</summary>
    private static string History(Side side, string image) =>
        SourceDigest().Replace(side.Checked("history", "--no-trunc", "--format", "{{.CreatedBy}} | {{.Size}} | {{.Comment}}", image).Output, "$1:<digest>");

    /// <summary>Names, modes, owners, link targets, sizes and content digests of what the Dockerfile wrote, seen by a container of the image.</summary>
    private static string Tree(Side side, string image)
    {
        const string script = """
            cd / || exit 1
            for p in "$@"; do
              if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo "absent $p"; continue; fi
              find "$p" | sort | while read -r f; do
                if [ -L "$f" ]; then echo "$(stat -c '%n %A %u:%g' "$f") -> $(readlink "$f")"
                elif [ -f "$f" ]; then echo "$(stat -c '%n %A %u:%g %s' "$f") $(md5sum < "$f" | cut -c1-32)"
                else echo "$(stat -c '%n %A %u:%g' "$f")"; fi
              done
            done
            """;
        return side.Checked(["run", "--rm", "-u", "0", "--entrypoint", "/bin/sh", image, "-c", script.ReplaceLineEndings("\n"), "tree", .. ComparedPaths]).Output;
    }
}
