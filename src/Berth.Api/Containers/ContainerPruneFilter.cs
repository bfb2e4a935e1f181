using Berth.Api.Http;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary><c>POST /containers/prune?filters=</c> (moby <c>daemon/prune.go</c>): <c>label</c>, <c>label!</c> and <c>until</c>, as for networks.</summary>
internal sealed class ContainerPruneFilter(PruneFilter filter)
{
    public static ContainerPruneFilter Create(FilterArgs filters, DateTimeOffset now) => new(PruneFilter.Create(filters, now));

    public bool Matches(ContainerRecord record) => filter.Matches(record.Created, record.Spec.Labels);
}
