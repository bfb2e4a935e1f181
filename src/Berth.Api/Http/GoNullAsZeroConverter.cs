using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Berth.Api.Http;

/// <summary>
/// Reads JSON <c>null</c> into a number or boolean as its zero value, as Go's <c>encoding/json</c> does (a null
/// leaves a non-pointer field untouched). docker-py sends every field it knows as explicit <c>null</c> when unset
/// (<c>"Healthcheck":{"Timeout":null,…}</c>, <c>"CpuShares":null</c>); without this they would be 400s.
/// Everything else is the default converter's work.
/// </summary>
internal sealed class GoNullAsZeroConverter<T>(JsonConverter<T> inner) : JsonConverter<T>
    where T : struct
{
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? default : inner.Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);
}

/// <summary>The <see cref="GoNullAsZeroConverter{T}"/>s for the value types the API contracts use.</summary>
internal static class GoNullAsZero
{
    public static IEnumerable<JsonConverter> Converters { get; } =
    [
        new GoNullAsZeroConverter<bool>(JsonMetadataServices.BooleanConverter),
        new GoNullAsZeroConverter<int>(JsonMetadataServices.Int32Converter),
        new GoNullAsZeroConverter<long>(JsonMetadataServices.Int64Converter),
        new GoNullAsZeroConverter<uint>(JsonMetadataServices.UInt32Converter),
        new GoNullAsZeroConverter<ulong>(JsonMetadataServices.UInt64Converter),
        new GoNullAsZeroConverter<double>(JsonMetadataServices.DoubleConverter),
    ];
}
