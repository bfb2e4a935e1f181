using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

/// <summary>
/// A dozen broken stack files (issue 15), each loaded as a stack: each names its file, line and column and the problem,
/// and nothing is loaded. One problem per file, so each place is checked on its own.
/// </summary>
public sealed class BrokenStackFileTests : IDisposable
{
    private readonly ComposeDirectory directory = new("brokenstack");

    public void Dispose() => directory.Dispose();

    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        {
            "unclosed quote",
            "services:\n  web:\n    image: \"nginx:alpine\n",
            "stack.yml:3:12: not valid YAML: While scanning a quoted scalar, found unexpected end of stream."
        },
        {
            "misspelt service key",
            "services:\n  web:\n    image: nginx:alpine\n    netwroks: [front]\n",
            "stack.yml:4:5: services.web: unknown key \"netwroks\"; did you mean \"networks\"?"
        },
        {
            "replicas not a number",
            "services:\n  web:\n    image: nginx:alpine\n    deploy:\n      replicas: many\n",
            "stack.yml:5:17: services.web.deploy.replicas: must be a whole number of at least 0, not \"many\""
        },
        {
            "a mode swarm does not have",
            "services:\n  web:\n    image: nginx:alpine\n    deploy:\n      mode: everywhere\n",
            "stack.yml:5:13: services.web.deploy.mode: \"everywhere\" is not a mode; use replicated, global, replicated-job, global-job"
        },
        {
            "cpus not a number",
            "services:\n  web:\n    image: nginx:alpine\n    deploy:\n      resources:\n        limits:\n          cpus: lots\n",
            "stack.yml:7:17: services.web.deploy.resources.limits.cpus: \"lots\" is not a number of CPUs (such as 0.5 or 2)"
        },
        {
            "memory not an amount",
            "services:\n  web:\n    image: nginx:alpine\n    deploy:\n      resources:\n        reservations:\n          memory: 12Q\n",
            "stack.yml:7:19: services.web.deploy.resources.reservations.memory: \"12Q\" is not an amount of memory (such as 512M or 1G)"
        },
        {
            "update order",
            "services:\n  web:\n    image: nginx:alpine\n    deploy:\n      update_config:\n        order: sideways\n",
            "stack.yml:6:16: services.web.deploy.update_config.order: \"sideways\" is not allowed; use stop-first or start-first"
        },
        {
            "undefined network",
            "services:\n  web:\n    image: nginx:alpine\n    networks: [frontnet]\n",
            "stack.yml:4:16: services.web.networks: network \"frontnet\" is not defined; define it under the top-level networks: or fix the name"
        },
        {
            "undefined secret",
            "services:\n  web:\n    image: nginx:alpine\n    secrets: [nosuch]\n",
            "stack.yml:4:15: services.web.secrets[0]: undefined secret \"nosuch\"; define it under the top-level secrets:"
        },
        {
            "bad port",
            "services:\n  web:\n    image: nginx:alpine\n    ports:\n      - \"70000:80\"\n",
            "stack.yml:5:9: services.web.ports[0]: bad port \"70000:80\": \"70000\" is not a host port (1-65535) or range (8080-8081)"
        },
        {
            "bad duration",
            "services:\n  web:\n    image: nginx:alpine\n    stop_grace_period: 10 seconds\n",
            "stack.yml:4:24: services.web.stop_grace_period: \"10 seconds\" is not a duration; write it like 1m30s, 10s or 500ms"
        },
        {
            "a key docker refuses in a stack",
            "services:\n  web:\n    image: nginx:alpine\n    mem_limit: 1g\n",
            "stack.yml:4:5: services.web.mem_limit: not supported in a stack: Set resource limits using deploy.resources"
        },
        {
            "a required variable unset",
            "services:\n  web:\n    image: ${WEB_IMAGE:?set WEB_IMAGE to the web image}\n",
            "stack.yml:3:12: services.web.image: required variable WEB_IMAGE is missing a value: set WEB_IMAGE to the web image"
        },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void EachBrokenStackFileNamesItsPlaceAndItsProblem(string what, string yaml, string problem)
    {
        directory.Write("stack.yml", yaml);
        var e = Assert.Throws<ComposeFileException>(() => directory.Load(new ComposeLoadOptions { Files = ["stack.yml"], ProjectName = "app", Stack = true }));
        Assert.True(e.Message == problem, $"{what}: expected\n{problem}\nbut got\n{e.Message}");
    }
}
