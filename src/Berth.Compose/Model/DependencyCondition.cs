namespace Berth.Compose.Model;

/// <summary>What <c>depends_on</c> waits for before the dependent service starts.</summary>
public enum DependencyCondition
{
    /// <summary><c>service_started</c></summary>
    Started,

    /// <summary><c>service_healthy</c></summary>
    Healthy,

    /// <summary><c>service_completed_successfully</c></summary>
    CompletedSuccessfully,
}
