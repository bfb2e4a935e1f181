using System.Globalization;
using Berth.Core.Ports;

namespace Berth.Runtime.Engine;

/// <summary>
/// The environment a legacy <c>--link</c> gives the linking container, as moby's <c>links.Link.ToEnv</c> writes it: for
/// alias <c>db</c> (upper-cased, <c>-</c> as <c>_</c>) <c>DB_NAME=/parent/db</c>; <c>DB_PORT=tcp://IP:PORT</c> for the
/// lowest exposed port; per port <c>DB_PORT_5432_TCP</c>, <c>_ADDR</c>, <c>_PORT</c>, <c>_PROTO</c>; per run of
/// consecutive ports of one protocol <c>DB_PORT_5432_TCP_START</c>/<c>_END</c> and <c>_PORT_START</c>/<c>_PORT_END</c>;
/// and the linked container's environment as <c>DB_ENV_KEY</c> (HOME and PATH left out).
/// </summary>
public static class LinkEnvironment
{
    public static IReadOnlyList<string> Of(string parentName, string alias, string address, IReadOnlyList<ContainerPort> exposed, IEnumerable<string> childEnv)
    {
        ArgumentNullException.ThrowIfNull(exposed);
        ArgumentNullException.ThrowIfNull(childEnv);
        string prefix = alias.ToUpperInvariant().Replace('-', '_');
        var env = new List<string> { $"{prefix}_NAME=/{parentName}/{alias}" };
        var ports = exposed.OrderBy(p => p.Number).ThenBy(p => Proto(p), StringComparer.Ordinal).ToList();
        if (ports.Count > 0)
        {
            env.Add($"{prefix}_PORT={Url(ports[0], address)}");
        }

        foreach (var run in Runs(ports))
        {
            if (run.Count > 1)
            {
                var (first, last) = (run[0], run[^1]);
                string start = $"{prefix}_PORT_{Number(first)}_{Proto(first).ToUpperInvariant()}";
                env.Add($"{start}_START={Url(first, address)}");
                env.Add($"{start}_PORT_START={Number(first)}");
                env.Add($"{start}_END={Url(last, address)}");
                env.Add($"{start}_PORT_END={Number(last)}");
            }

            foreach (var port in run)
            {
                string name = $"{prefix}_PORT_{Number(port)}_{Proto(port).ToUpperInvariant()}";
                env.Add($"{name}={Url(port, address)}");
                env.Add($"{name}_ADDR={address}");
                env.Add($"{name}_PORT={Number(port)}");
                env.Add($"{name}_PROTO={Proto(port)}");
            }
        }

        foreach (string entry in childEnv)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && entry[..equals] is not ("HOME" or "PATH"))
            {
                env.Add($"{prefix}_ENV_{entry}");
            }
        }

        return env;
    }

    /// <summary>Ports sorted by number, cut where the next is not one more than the last or of another protocol.</summary>
    private static IEnumerable<List<ContainerPort>> Runs(List<ContainerPort> ports)
    {
        var run = new List<ContainerPort>();
        foreach (var port in ports)
        {
            if (run.Count > 0 && (port.Protocol != run[^1].Protocol || port.Number != run[^1].Number + 1))
            {
                yield return run;
                run = [];
            }

            run.Add(port);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static string Url(ContainerPort port, string address) => $"{Proto(port)}://{address}:{Number(port)}";

    private static string Number(ContainerPort port) => port.Number.ToString(CultureInfo.InvariantCulture);

    private static string Proto(ContainerPort port) => port.Protocol.ToString().ToLowerInvariant();
}
