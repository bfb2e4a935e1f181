namespace Berth.Build.Dockerfile;

/// <summary>One <c>name=value</c> of ENV or LABEL, in the order written.</summary>
public readonly record struct KeyValue(string Key, string Value)
{
    public override string ToString() => Key + "=" + Value;
}
