using System.Globalization;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands;

/// <summary>
/// One row of <c>berth images</c>, docker's <c>imageContext</c>: an image shows once per tag (and per digest with
/// <c>--digests</c>); an image with neither is <c>&lt;none&gt; &lt;none&gt;</c>.
/// </summary>
public sealed class ImageRow : StringFieldsRow
{
    public static readonly TableHeader Header = new(new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["Containers"] = "CONTAINERS",
        ["VirtualSize"] = "SIZE",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
    });

    private const string None = "<none>";
    private const int SizePrecision = 3;

    private ImageRow(ImageSummary image, string repository, string tag, string digest, bool truncate, DateTimeOffset now)
        : base("*formatter.imageContext")
    {
        Fields["ID"] = truncate ? GoUnits.TruncateId(image.Id) : image.Id;
        Fields["Repository"] = repository;
        Fields["Tag"] = tag;
        Fields["Digest"] = digest;
        Fields["CreatedSince"] = GoUnits.HumanDuration(now - DateTimeOffset.FromUnixTimeSeconds(image.Created)) + " ago";
        Fields["CreatedAt"] = GoTime.Format(GoUnits.UnixToRfc3339(image.Created));
        Fields["Size"] = GoUnits.HumanSize(image.Size, SizePrecision);
        Fields["Containers"] = image.Containers == -1 ? "N/A" : image.Containers.ToString(CultureInfo.InvariantCulture);
        Fields["VirtualSize"] = GoUnits.HumanSize(image.Size);
        Fields["SharedSize"] = image.SharedSize == -1 ? "N/A" : GoUnits.HumanSize(image.SharedSize);
        Fields["UniqueSize"] = image.SharedSize == -1 ? "N/A" : GoUnits.HumanSize(image.Size - image.SharedSize);
    }

    /// <summary>docker's <c>imageFormatTaggedAndDigest</c>, with repositories in the order the daemon listed them.</summary>
    public static IEnumerable<ImageRow> For(ImageSummary image, bool showDigests, bool truncate, DateTimeOffset now)
    {
        if (image.RepoTags.Count == 0 && image.RepoDigests.Count == 0)
        {
            yield return new ImageRow(image, None, None, None, truncate, now);
            yield break;
        }

        var tags = Group(image.RepoTags.Select(t => SplitAt(t, LastTagColon(t))));
        var digests = Group(image.RepoDigests.Select(d => SplitAt(d, d.IndexOf('@', StringComparison.Ordinal))));
        foreach (var (repository, repoTags) in tags)
        {
            var repoDigests = digests.Find(d => d.Key == repository).Value ?? [];
            digests.RemoveAll(d => d.Key == repository);
            foreach (var tag in repoTags)
            {
                if (!showDigests || repoDigests.Count == 0)
                {
                    yield return new ImageRow(image, repository, tag, None, truncate, now);
                    continue;
                }

                foreach (var digest in repoDigests)
                {
                    yield return new ImageRow(image, repository, tag, digest, truncate, now);
                }
            }
        }

        foreach (var (repository, repoDigests) in digests)
        {
            foreach (var digest in showDigests ? repoDigests : [""])
            {
                yield return new ImageRow(image, repository, None, digest, truncate, now);
            }
        }
    }

    private static List<KeyValuePair<string, List<string>>> Group(IEnumerable<(string Name, string Detail)> references)
    {
        var groups = new List<KeyValuePair<string, List<string>>>();
        foreach (var (name, detail) in references)
        {
            var index = groups.FindIndex(g => g.Key == name);
            if (index < 0)
            {
                groups.Add(new(name, []));
                index = groups.Count - 1;
            }

            groups[index].Value.Add(detail);
        }

        return groups;
    }

    /// <summary>The colon of a tag is after the last slash (<c>127.0.0.1:5000/bb:latest</c>).</summary>
    private static int LastTagColon(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? colon : -1;
    }

    private static (string, string) SplitAt(string text, int index) => index < 0 ? (text, "") : (text[..index], text[(index + 1)..]);
}
