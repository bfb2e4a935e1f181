using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>Source-generated JSON for image configs, manifests and the store's state (no reflection; AOT).</summary>
[JsonSourceGenerationOptions(AllowTrailingCommas = true, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(OciIndex))]
[JsonSerializable(typeof(OciManifest))]
[JsonSerializable(typeof(DockerSaveManifestEntry[]))]
[JsonSerializable(typeof(ImageStoreState))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(RegistryAuthConfig))]
internal sealed partial class ImagesJsonContext : JsonSerializerContext
{
}
