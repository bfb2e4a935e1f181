namespace Berth.Api.Contracts;

/// <summary><c>POST /services/create</c> → 201. Go writes <see cref="Warnings"/> even when null.</summary>
public sealed class ServiceCreateResponse
{
    public string ID { get; set; } = "";

    public List<string>? Warnings { get; set; }
}
