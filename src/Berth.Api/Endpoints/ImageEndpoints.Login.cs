using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Images;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Endpoints;

internal sealed partial class ImageEndpoints
{
    /// <summary>The most a login's JSON body may be (a user name, a password, an address).</summary>
    private const int MaxLoginBody = 64 * 1024;

    /// <summary>
    /// <c>docker login</c> (<c>POST /auth</c>, Docker's <c>AuthConfig</c> as the body): the registry is asked with these
    /// credentials and, if it takes them, 200 <c>{"Status":"Login Succeeded"}</c>; a refusal is 401 in moby's words.
    /// berthd keeps nothing: the client stores the credentials and sends them with each pull.
    /// </summary>
    private async Task LoginAsync(HttpContext context)
    {
        byte[] buffer = new byte[MaxLoginBody + 1];
        int length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxLoginBody)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"the login body is over {MaxLoginBody} bytes; Docker's AuthConfig is a few hundred");
        }

        if (length == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "the login body is empty: send Docker's AuthConfig JSON (username, password, serveraddress)");
        }

        var config = RegistryAuthConfig.FromJson(buffer.AsSpan(0, length), "the login body");
        await images.LoginAsync(config.ServerAddress, config.Credentials(), context.RequestAborted);
        await DockerJson.WriteAsync(context.Response, StatusCodes.Status200OK, new AuthResponse { Status = "Login Succeeded" }, DockerJson.Context.AuthResponse);
    }
}
