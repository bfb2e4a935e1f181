using System.Collections.Immutable;

namespace Berth.Compose.Loading;

internal sealed record SequenceNode(SourceMark Mark, ImmutableArray<ComposeNode> Items) : ComposeNode(Mark)
{
    public override string Kind => "a list";
}
