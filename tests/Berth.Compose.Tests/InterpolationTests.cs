using Berth.Compose.Loading;

namespace Berth.Compose.Tests;

public sealed class InterpolationTests : IDisposable
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["TAG"] = "1.25",
        ["EMPTY"] = "",
        ["PORT"] = "8080",
    };

    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData("nginx:${TAG}", "nginx:1.25")]
    [InlineData("nginx:$TAG", "nginx:1.25")]
    [InlineData("$TAG-$PORT", "1.25-8080")]
    [InlineData("${MISSING:-fallback}", "fallback")]
    [InlineData("${EMPTY:-fallback}", "fallback")]
    [InlineData("${EMPTY-fallback}", "")]
    [InlineData("${MISSING-fallback}", "fallback")]
    [InlineData("${TAG:-fallback}", "1.25")]
    [InlineData("${TAG:+set}", "set")]
    [InlineData("${MISSING:+set}", "")]
    [InlineData("${MISSING:-${TAG}}", "1.25")]
    [InlineData("${MISSING:-${ALSO_MISSING:-deep}}", "deep")]
    [InlineData("cost: $$5 and $${TAG}", "cost: $5 and ${TAG}")]
    [InlineData("${EMPTY?must be set}", "")]
    [InlineData("${TAG:?must be set}", "1.25")]
    [InlineData("no variables", "no variables")]
    [InlineData("${MISSING}", "")]
    public void Substitutes(string text, string expected)
    {
        Assert.True(Interpolator.TryInterpolate(text, Variables.GetValueOrDefault, null, out var result, out var error), error);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("${MISSING:?set MISSING to the image}", "required variable MISSING is missing a value: set MISSING to the image")]
    [InlineData("${EMPTY:?}", "required variable EMPTY is missing a value")]
    [InlineData("${MISSING?no}", "required variable MISSING is missing a value: no")]
    [InlineData("${TAG", "invalid interpolation format in \"${TAG\": \"${\" is never closed with \"}\"")]
    [InlineData("a $ b", "invalid interpolation format in \"a $ b\": a \"$\" must start a variable ($VAR, ${VAR}); write \"$$\" for a literal \"$\"")]
    [InlineData("${TAG!x}", "invalid interpolation format in \"${TAG!x}\": after the name comes }, :-, -, :?, ?, :+ or +")]
    public void Refuses(string text, string expected)
    {
        Assert.False(Interpolator.TryInterpolate(text, Variables.GetValueOrDefault, null, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void EnvironmentWinsOverDotEnvAndUnsetVariablesWarn()
    {
        directory.Environment["TAG"] = "from-shell";
        directory.Write(".env", "TAG=from-dotenv\nPORT=9090\nCOMPOSE_PROJECT_NAME=fromdotenv\n");
        directory.Write("compose.yaml", """
            services:
              web:
                image: "nginx:${TAG}"
                ports: ["${PORT}:80"]
                labels:
                  unset: "${NOWHERE}"
            """);

        var project = directory.Load();

        Assert.Equal("fromdotenv", project.Name);
        Assert.Equal("nginx:from-shell", project.Services["web"].Image);
        Assert.Equal("9090", project.Services["web"].Ports[0].Published);
        Assert.Equal("", project.Services["web"].Labels["unset"]);
        var warning = Assert.Single(directory.Warnings);
        Assert.Equal("compose.yaml:6:14: services.web.labels.unset: the variable NOWHERE is not set; using an empty string", warning.ToString());
    }

    [Fact]
    public void InterpolatedValuesAreTypedAfterSubstitution()
    {
        directory.Environment["REPLICAS"] = "4";
        directory.Environment["INTERNAL"] = "true";
        directory.Write("compose.yaml", """
            services:
              web: {image: x, scale: "${REPLICAS}"}
            networks:
              n: {internal: "${INTERNAL}"}
            """);

        var project = directory.Load();

        Assert.Equal(4, project.Services["web"].Scale);
        Assert.True(project.Networks["n"].Internal);
    }
}
