namespace Berth.Diagnostics.Topology;

/// <summary>A small labelled box in a panel: a container, a task, a host shim, a port. The first line is its name.</summary>
internal sealed record SvgChip(string Style, string[] Lines);
