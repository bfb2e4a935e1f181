using System.Text.Json.Serialization;
using Berth.Core.Containers;

namespace Berth.Core.Tests.Containers;

[JsonSerializable(typeof(ContainerId))]
internal sealed partial class ContainerIdJsonContext : JsonSerializerContext
{
}
