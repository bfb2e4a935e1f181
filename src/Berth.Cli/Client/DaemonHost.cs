namespace Berth.Cli.Client;

/// <summary>Where the daemon listens: <c>unix:///path</c> or <c>tcp://host:port</c>.</summary>
public sealed record DaemonHost(string Uri)
{
    public const string DefaultUri = "unix:///run/berth/berth.sock";
    private const string UnixScheme = "unix://";
    private const string TcpScheme = "tcp://";
    private const int DefaultTcpPort = 2375; // Docker's plain-HTTP port

    public bool IsUnix => Uri.StartsWith(UnixScheme, StringComparison.Ordinal);

    public string SocketPath => Uri[UnixScheme.Length..];

    public (string Host, int Port) TcpEndpoint
    {
        get
        {
            var rest = Uri[TcpScheme.Length..].TrimEnd('/');
            var colon = rest.LastIndexOf(':');
            return colon < 0 ? (rest, DefaultTcpPort) : (rest[..colon], int.Parse(rest[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary><c>-H</c>, then <c>BERTH_HOST</c>, then <c>DOCKER_HOST</c>, then the default socket. Empty values are skipped.</summary>
    public static DaemonHost Resolve(string? flag, Func<string, string?> environment)
    {
        var uri = new[] { flag, environment("BERTH_HOST"), environment("DOCKER_HOST") }.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? DefaultUri;
        if (uri.StartsWith('/'))
        {
            uri = UnixScheme + uri;
        }

        if (!uri.StartsWith(UnixScheme, StringComparison.Ordinal) && !uri.StartsWith(TcpScheme, StringComparison.Ordinal))
        {
            throw new ArgumentException($"invalid daemon host \"{uri}\": use unix:///path/to/socket or tcp://host:port");
        }

        return new DaemonHost(uri);
    }
}
