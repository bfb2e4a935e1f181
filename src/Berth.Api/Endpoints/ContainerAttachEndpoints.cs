using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Berth.Api.Http;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ContainerStatus = Berth.Runtime.Engine.ContainerStatus;

namespace Berth.Api.Endpoints;

/// <summary>
/// Attach (on the raw connection, see <see cref="AttachConnectionHandler"/>) and resize. Output comes
/// from the container's log as conmon writes it, from where the log ended when the client attached (or
/// from its start with <c>logs=1</c>): the attach of <c>docker run</c> comes before the start, so none of
/// the run's output is missed, and none of an earlier run's is repeated. Stdin goes to conmon's attach
/// socket once the container runs (<see cref="StdinRelay"/> keeps what comes before). The attach ends
/// when the run it follows (<see cref="FollowedRun"/>) has ended and its output is out.
/// </summary>
internal sealed class ContainerAttachEndpoints(IContainerQueries containers, IContainerStreams streams)
{
    /// <summary>How often the log and the container's state are looked at while attached.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/containers/{id}/resize", ResizeAsync);

    public async Task AttachAsync(string idOrName, AttachRequest request, Stream input, Stream output)
    {
        ContainerRecord record;
        try
        {
            record = containers.Get(idOrName);
        }
        catch (BerthException e)
        {
            await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.SystemError, Encoding.UTF8.GetBytes(e.Message + "\n"), tty: false);
            return;
        }

        var id = record.Id;
        bool tty = record.Spec.Tty;
        byte[] detachKeys;
        try
        {
            detachKeys = DetachKeys.Parse(request.DetachKeys);
        }
        catch (BerthException e)
        {
            await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.SystemError, Encoding.UTF8.GetBytes(e.Message + "\n"), tty: false);
            return;
        }

        var run = FollowedRun.Of(record);
        using var lease = streams.HoldLogs(id);
        using var follower = new ContainerLogFollower(streams.LogPathOf(id.Value), fromStart: request.Logs);
        using var stop = new CancellationTokenSource();

        // On a terminal, as moby's attach: the detach keys end the client's input, and the end of its input (detach or
        // not) ends this attach without closing the container's stdin; without one it closes it (StdinOnce aside).
        bool attachStdin = request.Stdin && record.Spec.OpenStdin;
        Task<long> stdin = attachStdin
            ? StdinRelay.RunAsync(tty ? new DetachKeysStream(input, detachKeys) : input, StdinOfRunAsync(id, run, stop.Token), closeAtEnd: !tty, stop.Token)
            : Task.FromResult(0L);
        try
        {
            await follower.FollowAsync(() => run.IsOver(containers.TryGet(id)) || (tty && attachStdin && stdin.IsCompleted), PollInterval, async records =>
            {
                foreach (LogRecord entry in records.Where(r => r.Stream == LogStream.Stdout ? request.Stdout : request.Stderr))
                {
                    await DockerStreamFraming.WriteAsync(output, DockerStreamFraming.Of(entry.Stream), entry.Output(), tty);
                }

                await output.FlushAsync();
                return true;
            });
        }
        catch (IOException)
        {
            // The client went away.
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await stdin;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or BerthException)
            {
                // The run ended (or the client left) with input still open: nothing more to carry.
            }
        }
    }

    /// <summary>The container's stdin once the followed run is running; null when that run ends (or the container goes) first.</summary>
    private async Task<IContainerStdin?> StdinOfRunAsync(ContainerId id, FollowedRun run, CancellationToken cancellationToken)
    {
        while (true)
        {
            ContainerRecord? now = containers.TryGet(id);
            if (run.IsOver(now))
            {
                return null;
            }

            if (now!.Status == ContainerStatus.Running)
            {
                try
                {
                    return await streams.ConnectStdinAsync(id.Value, cancellationToken);
                }
                catch (BerthException)
                {
                    // Exited between the look and the connect.
                    return null;
                }
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary><c>POST /containers/{id}/resize?h=&amp;w=</c>: 200, 409 when the container is not running (as moby).</summary>
    private async Task ResizeAsync(HttpContext context)
    {
        uint height = Dimension(context.Request, "h");
        uint width = Dimension(context.Request, "w");
        await streams.ResizeAsync(context.GetRouteValue("id")?.ToString() ?? "", height, width, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static uint Dimension(HttpRequest request, string name)
    {
        string text = request.Query[name].ToString();
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint value)
            ? value
            : throw new BerthException(ErrorKind.InvalidArgument, $"resize: \"{name}\" must be a number of {(name == "h" ? "rows" : "columns")}, not \"{text}\"");
    }
}
