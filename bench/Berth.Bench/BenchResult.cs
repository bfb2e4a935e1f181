using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Bench;

/// <summary>The figures of one run, printed as one JSON object in the order they were added.</summary>
internal sealed class BenchResult
{
    private readonly List<KeyValuePair<string, object>> _fields = [];

    public void Add(string name, object value) => _fields.Add(new(name, value));

    /// <summary>A number added before, for a figure derived from others; null when it is not there.</summary>
    public double? Number(string name) =>
        _fields.FindLast(f => f.Key == name).Value is { } value ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>An object of the fields; a field that is a result itself (a part of a report) is an object within it.</summary>
    private void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _fields)
        {
            writer.WritePropertyName(name);
            if (value is BenchResult part)
            {
                part.Write(writer);
            }
            else
            {
                JsonSerializer.Serialize(writer, value, value.GetType());
            }
        }

        writer.WriteEndObject();
    }
}
