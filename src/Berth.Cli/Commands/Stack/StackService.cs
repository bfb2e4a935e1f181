using System.Collections.Immutable;
using Berth.Api.Contracts;

namespace Berth.Cli.Commands.Stack;

/// <summary>One service of a stack: its spec as docker's converter makes it, and its secret and config references (ids resolved at deploy).</summary>
public sealed record StackService(string Name, ServiceSpecContract Spec, ImmutableArray<StackFileReference> Secrets, ImmutableArray<StackFileReference> Configs)
{
    /// <summary>The image as the file wrote it (the <see cref="StackLabels.Image"/> label).</summary>
    public string Image => Spec.Labels![StackLabels.Image];
}
