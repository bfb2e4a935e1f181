namespace Berth.Runtime.Engine;

/// <summary>The sampler behind one stats stream (<see cref="ContainerStatsSampler"/>; a canned one in API tests).</summary>
public interface IContainerStatsSampler : IDisposable
{
    /// <summary>The container's counters now; Docker's zero sample while it does not run; NotFound once it is removed.</summary>
    ContainerStatsSample Sample();
}
