using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Api.Contracts;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>berth info</c>: the head of <c>docker info</c>'s summary.</summary>
public sealed class InfoCommand : CliCommand
{
    public override string Path => "berth info";

    public override string Arguments => "[OPTIONS]";

    public override string Description => "Display system-wide information";

    public override IReadOnlyList<FlagSpec> Flags { get; } = [];

    protected override async Task<int> ExecuteAsync(CommandContext context, ParsedArgs args, CancellationToken cancellationToken)
    {
        var response = await context.Client.SendAsync(HttpMethod.Get, "/info", cancellationToken: cancellationToken).ConfigureAwait(false);
        var info = JsonSerializer.Deserialize(response.Body, DockerJsonContext.Default.InfoResponse) ?? new InfoResponse();
        await context.Out.WriteAsync(Render(info, context.Host.Uri)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    public static string Render(InfoResponse info, string host)
    {
        var text = new StringBuilder();
        text.Append("Client:\n")
            .Append($" Version:    {VersionCommand.ClientVersion}\n")
            .Append($" Host:       {host}\n\n")
            .Append("Server:\n")
            .Append($" Containers: {info.Containers}\n")
            .Append($"  Running: {info.ContainersRunning}\n")
            .Append($"  Paused: {info.ContainersPaused}\n")
            .Append($"  Stopped: {info.ContainersStopped}\n")
            .Append($" Images: {info.Images}\n")
            .Append($" Server Version: {info.ServerVersion}\n")
            .Append($" Storage Driver: {info.Driver}\n")
            .Append($" Cgroup Driver: {info.CgroupDriver}\n")
            .Append($" Cgroup Version: {info.CgroupVersion}\n")
            .Append(" Plugins:\n")
            .Append($"  Volume: {string.Join(" ", info.Plugins.Volume)}\n")
            .Append($"  Network: {string.Join(" ", info.Plugins.Network)}\n")
            .Append($"  Log: {string.Join(" ", info.Plugins.Log)}\n")
            .Append($" Swarm: {info.Swarm.LocalNodeState}\n");
        AppendSecurityOptions(text, info.SecurityOptions);
        text.Append($" Kernel Version: {info.KernelVersion}\n")
            .Append($" Operating System: {info.OperatingSystem}\n")
            .Append($" OSType: {info.OSType}\n")
            .Append($" Architecture: {info.Architecture}\n")
            .Append($" CPUs: {info.NCPU}\n")
            .Append($" Total Memory: {BytesSize(info.MemTotal)}\n")
            .Append($" Name: {info.Name}\n")
            .Append($" ID: {info.ID}\n")
            .Append($" Docker Root Dir: {info.DockerRootDir}\n")
            .Append($" Experimental: {(info.ExperimentalBuild ? "true" : "false")}\n");
        foreach (var warning in info.Warnings)
        {
            text.Append(warning).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The docker CLI's layout of <c>SecurityOptions</c> (<c>name=seccomp,profile=builtin</c>): the name, then each
    /// other key title-cased under it (<c>Profile: builtin</c>).
    /// </summary>
    private static void AppendSecurityOptions(StringBuilder text, IReadOnlyList<string> options)
    {
        if (options.Count == 0)
        {
            return;
        }

        text.Append(" Security Options:\n");
        foreach (string option in options)
        {
            foreach (string pair in option.Split(','))
            {
                string[] keyValue = pair.Split('=', 2);
                if (keyValue.Length != 2)
                {
                    continue;
                }

                text.Append(keyValue[0] == "name"
                    ? $"  {keyValue[1]}\n"
                    : $"   {char.ToUpperInvariant(keyValue[0][0])}{keyValue[0][1..]}: {keyValue[1]}\n");
            }
        }
    }

    /// <summary>go-units <c>BytesSize</c>: binary units, four significant digits ("3.725GiB").</summary>
    public static string BytesSize(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double size = bytes;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return size.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
    }
}
