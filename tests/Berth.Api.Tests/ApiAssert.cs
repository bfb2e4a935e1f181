using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Api.Tests;

/// <summary>What route tests assert of an answer: a 200 body, JSON equal whatever the order of keys, Docker's error body.</summary>
internal static class ApiAssert
{
    public static async Task<string> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    public static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual}");

    /// <summary>Docker's <c>{"message":"…"}</c> with the status.</summary>
    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"{{\"message\":{JsonSerializer.Serialize(message, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}}}\n",
            await response.Content.ReadAsStringAsync());
    }
}
