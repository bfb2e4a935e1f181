namespace Berth.Api.Contracts;

/// <summary>
/// The network of a <see cref="NetworkAttachmentContract"/>, by id only: Docker embeds the whole swarm network object here,
/// which no client the API serves reads (<c>GET /networks/{id}</c> has it all).
/// </summary>
public sealed class AttachedNetwork
{
    public string ID { get; set; } = "";
}
