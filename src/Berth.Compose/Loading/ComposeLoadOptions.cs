namespace Berth.Compose.Loading;

/// <summary>What <c>berth compose</c>'s own flags and the environment say about which project to load.</summary>
public sealed record ComposeLoadOptions
{
    /// <summary><c>-f</c>, in order; empty: <c>COMPOSE_FILE</c>, else <c>compose.yaml</c> (…) and its override found from <see cref="CurrentDirectory"/> up.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary><c>-p</c>; beats <c>COMPOSE_PROJECT_NAME</c>, the top-level <c>name:</c> and the directory's name.</summary>
    public string? ProjectName { get; init; }

    /// <summary><c>--profile</c>, each; empty: <c>COMPOSE_PROFILES</c> (comma-separated).</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary><c>--project-directory</c>; default: the first file's directory.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary><c>--env-file</c>, each; default: <c>.env</c> in the project directory when it exists.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>The process environment: it wins over <c>.env</c>.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>
    /// Load for <c>berth stack deploy</c>: <c>deploy:</c>, <c>secrets:</c> and <c>configs:</c> are read without a warning, keys a
    /// swarm cannot use are listed on the project (as docker's CLI does) instead of warned about, and keys docker refuses for
    /// stacks (<c>extends</c>, <c>volumes_from</c>, <c>mem_limit</c>, …) are problems.
    /// </summary>
    public bool Stack { get; init; }

    /// <summary>Told of each warning (an unset variable, a setting Berth ignores); they never stop the load.</summary>
    public Action<ComposeProblem>? Warning { get; init; }
}
