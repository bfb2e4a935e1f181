using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Containers;

/// <summary>
/// What <c>ps --format</c> sees, docker's <c>ContainerContext</c> over one element of <c>GET /containers/json</c>: every field a
/// string computed as docker computes it (COMMAND quoted and cut to 20 columns with "…", CREATED relative to now, PORTS grouped).
/// <see cref="FieldsUsed"/> tells whether a template needs <c>.Size</c> (docker then asks the daemon for sizes).
/// </summary>
public sealed class ContainerRow(JsonElement container, bool truncate, DateTimeOffset now) : ITemplateObject
{
    private const int ShortIdLength = 12;
    private const int CommandWidth = 20;
    private const int MountWidth = 15;
    private const int SizePrecision = 3;

    /// <summary>The fields <c>{{json .}}</c> prints, in Go's sorted-key order (docker 28.2).</summary>
    public static readonly string[] FieldNames =
        ["Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Names", "Networks", "Platform", "Ports", "RunningFor", "Size", "State", "Status"];

    public HashSet<string> FieldsUsed { get; } = new(StringComparer.Ordinal);

    public string TypeName => "*formatter.ContainerContext";

    public bool TryGetField(string name, out object? value)
    {
        FieldsUsed.Add(name);
        value = name switch
        {
            "ID" => truncate ? TruncateId(Str("Id")) : Str("Id"),
            "Names" => Names(),
            "Image" => Image(),
            "Command" => GoText.Quote(truncate ? GoText.Ellipsis(Str("Command"), CommandWidth) : Str("Command")),
            "CreatedAt" => GoLocalTime(DateTimeOffset.FromUnixTimeSeconds(Long("Created"))),
            "RunningFor" => GoUnits.HumanDuration(now - DateTimeOffset.FromUnixTimeSeconds(Long("Created"))) + " ago",
            "Ports" => DisplayablePorts(),
            "State" => Str("State"),
            "Status" => Str("Status"),
            "Size" => Size(),
            "Labels" => string.Join(",", Labels().Select(l => l.Key + "=" + l.Value).Order(StringComparer.Ordinal)),
            "Mounts" => string.Join(",", Array("Mounts").Select(m => Str(m, "Name") is { Length: > 0 } n ? n : Str(m, "Source")).Select(n => truncate ? GoText.Ellipsis(n, MountWidth) : n)),
            "LocalVolumes" => Array("Mounts").Count(m => Str(m, "Driver") == "local").ToString(CultureInfo.InvariantCulture),
            "Networks" => string.Join(",", Networks()),
            "Platform" => null,
            _ => Missing.Value,
        };
        if (value == Missing.Value)
        {
            value = null;
            return false;
        }

        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> arguments, out object? value)
    {
        value = null;
        if (name != "Label" || arguments.Count != 1 || arguments[0] is not string key)
        {
            return false;
        }

        value = Labels().FirstOrDefault(l => l.Key == key).Value ?? "";
        return true;
    }

    public void WriteJson(StringBuilder output)
    {
        output.Append('{');
        foreach (var field in FieldNames)
        {
            output.Append(output[^1] == '{' ? "" : ",");
            GoJson.WriteString(output, field);
            output.Append(':');
            TryGetField(field, out var value);
            if (value is string text)
            {
                // docker marshals the row with json.Marshal, which escapes HTML (-> becomes -\u003e).
                GoJson.WriteString(output, text, escapeHtml: true);
            }
            else
            {
                output.Append("null");
            }
        }

        output.Append('}');
    }

    /// <summary>docker's TruncateID: without the "sha256:" algorithm, 12 characters.</summary>
    public static string TruncateId(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var hex = colon >= 0 ? id[(colon + 1)..] : id;
        return hex.Length > ShortIdLength ? hex[..ShortIdLength] : hex;
    }

    /// <summary>Go's <c>time.Time.String()</c> in the local zone (a zone without a name, like Go's, shows its offset twice).</summary>
    public static string GoLocalTime(DateTimeOffset time)
    {
        var local = time.ToLocalTime();
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var numeric = sign + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
        var zone = offset == TimeSpan.Zero && TimeZoneInfo.Local.BaseUtcOffset == TimeSpan.Zero ? "UTC" : numeric;
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + numeric + " " + zone;
    }

    private string Names()
    {
        var names = Array("Names").Select(n => (n.GetString() ?? "").TrimStart('/')).ToList();
        return truncate ? names.FirstOrDefault(n => !n.Contains('/', StringComparison.Ordinal)) ?? "" : string.Join(",", names);
    }

    /// <summary>docker's Image(): the short image ID when the container was made from an ID, else the familiar name without a digest.</summary>
    private string Image()
    {
        var image = Str("Image");
        if (image.Length == 0)
        {
            return "<no image>";
        }

        if (!truncate)
        {
            return image;
        }

        var shortId = TruncateId(Str("ImageID"));
        if (shortId == TruncateId(image))
        {
            return shortId;
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var withoutDigest = at < 0 ? image : image[..at];
        var reference = ImageReference.Parse(withoutDigest);
        var familiar = reference.Familiar;
        return at >= 0 && reference.Tag is null ? familiar[..familiar.LastIndexOf(':')] : familiar;
    }

    private string Size()
    {
        var written = GoUnits.HumanSize(Long("SizeRw"), SizePrecision);
        var rootFs = Long("SizeRootFs");
        return rootFs > 0 ? $"{written} (virtual {GoUnits.HumanSize(rootFs, SizePrecision)})" : written;
    }

    private IEnumerable<string> Networks() =>
        container.TryGetProperty("NetworkSettings", out var settings) && settings.ValueKind == JsonValueKind.Object
        && settings.TryGetProperty("Networks", out var networks) && networks.ValueKind == JsonValueKind.Object
            ? networks.EnumerateObject().Select(n => n.Name).Order(StringComparer.Ordinal) // Go's map order is random; berth sorts
            : [];

    /// <summary>docker's DisplayablePorts: consecutive ports grouped into ranges per IP and protocol, other host mappings after.</summary>
    private string DisplayablePorts()
    {
        var ports = Array("Ports")
            .Select(p => (Ip: Str(p, "IP"), Private: Long(p, "PrivatePort"), Public: Long(p, "PublicPort"), Type: Str(p, "Type")))
            .OrderBy(p => p.Private).ThenBy(p => p.Ip, StringComparer.Ordinal).ThenBy(p => p.Public).ThenBy(p => p.Type, StringComparer.Ordinal)
            .ToList();
        var groups = new Dictionary<string, (long First, long Last)>(StringComparer.Ordinal);
        var groupOrder = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in ports)
        {
            var key = port.Type;
            if (port.Ip.Length > 0)
            {
                if (port.Public != port.Private)
                {
                    hostMappings.Add($"{PortCommand.JoinHostPort(port.Ip, port.Public.ToString(CultureInfo.InvariantCulture))}->{port.Private}/{port.Type}");
                    continue;
                }

                key = port.Ip + "/" + port.Type;
            }

            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (port.Private, port.Private);
                groupOrder.Add(key);
                continue;
            }

            if (port.Private == group.Last + 1)
            {
                groups[key] = (group.First, port.Private);
                continue;
            }

            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (port.Private, port.Private);
        }

        result.AddRange(groupOrder.Select(key => FormGroup(key, groups[key].First, groups[key].Last)));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    private static string FormGroup(string key, long first, long last)
    {
        var slash = key.LastIndexOf('/');
        var ip = slash >= 0 ? key[..slash] : "";
        var type = slash >= 0 ? key[(slash + 1)..] : key;
        var group = first == last ? first.ToString(CultureInfo.InvariantCulture) : $"{first}-{last}";
        return (ip.Length > 0 ? $"{PortCommand.JoinHostPort(ip, group)}->{group}" : group) + "/" + type;
    }

    private IEnumerable<KeyValuePair<string, string>> Labels() =>
        container.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().Select(l => new KeyValuePair<string, string>(l.Name, l.Value.GetString() ?? ""))
            : [];

    private IEnumerable<JsonElement> Array(string name) =>
        container.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private string Str(string name) => Str(container, name);

    private long Long(string name) => Long(container, name);

    private static string Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;

    private sealed class Missing
    {
        public static readonly Missing Value = new();
    }
}
