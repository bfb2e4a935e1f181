namespace Berth.Api.Contracts;

/// <summary>Docker's <c>struct{}</c> values (<c>"80/tcp":{}</c>, volumes): always <c>{}</c>.</summary>
public sealed class EmptyObjectContract
{
}
