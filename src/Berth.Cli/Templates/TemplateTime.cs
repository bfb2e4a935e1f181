namespace Berth.Cli.Templates;

/// <summary>
/// A timestamp that prints like Go's <c>time.Time.String()</c> (<c>2025-01-02 03:04:05.5 +0000 UTC</c>), as docker's
/// templates show <c>.Created</c>, but stays RFC 3339 under <c>{{json}}</c>.
/// </summary>
public sealed record TemplateTime(string Rfc3339)
{
    public override string ToString() => GoTime.Format(Rfc3339);
}
