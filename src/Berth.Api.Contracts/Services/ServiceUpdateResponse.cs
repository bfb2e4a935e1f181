namespace Berth.Api.Contracts;

/// <summary><c>POST /services/{id}/update</c> → 200. Go writes <see cref="Warnings"/> even when null.</summary>
public sealed class ServiceUpdateResponse
{
    public List<string>? Warnings { get; set; }
}
