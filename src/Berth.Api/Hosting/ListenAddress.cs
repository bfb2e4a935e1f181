using System.Net;
using Berth.Core.Errors;

namespace Berth.Api.Hosting;

/// <summary>A <c>-H</c> value: <c>unix:///run/berth/berth.sock</c> or <c>tcp://127.0.0.1:2375</c>.</summary>
public sealed record ListenAddress
{
    private const string UnixScheme = "unix://";
    private const string TcpScheme = "tcp://";

    /// <summary>Docker's plain-TCP port (IANA "docker").</summary>
    public const int DefaultTcpPort = 2375;

    private ListenAddress(string text, string? socketPath, IPEndPoint? endPoint)
    {
        Text = text;
        SocketPath = socketPath;
        EndPoint = endPoint;
    }

    public string Text { get; }

    /// <summary>The unix socket's path, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>The TCP endpoint, or null for a unix socket.</summary>
    public IPEndPoint? EndPoint { get; }

    public static ListenAddress Parse(string text)
    {
        if (text.StartsWith(UnixScheme, StringComparison.Ordinal))
        {
            string path = text[UnixScheme.Length..];
            return path.StartsWith('/')
                ? new ListenAddress(text, path, null)
                : throw new BerthException(ErrorKind.InvalidArgument, $"listen address \"{text}\": the socket path must be absolute, e.g. unix:///run/berth/berth.sock");
        }

        if (text.StartsWith(TcpScheme, StringComparison.Ordinal))
        {
            string hostPort = text[TcpScheme.Length..].TrimEnd('/');
            if (IPEndPoint.TryParse(hostPort, out IPEndPoint? endPoint))
            {
                return new ListenAddress(text, null, endPoint.Port == 0 && !hostPort.EndsWith(":0", StringComparison.Ordinal)
                    ? new IPEndPoint(endPoint.Address, DefaultTcpPort)
                    : endPoint);
            }

            throw new BerthException(ErrorKind.InvalidArgument, $"listen address \"{text}\": expected tcp://IP:PORT, e.g. tcp://127.0.0.1:2375");
        }

        throw new BerthException(ErrorKind.InvalidArgument, $"listen address \"{text}\": use unix:///path or tcp://IP:PORT");
    }

    public override string ToString() => Text;
}
