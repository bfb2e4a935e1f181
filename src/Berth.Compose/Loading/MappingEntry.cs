namespace Berth.Compose.Loading;

internal sealed record MappingEntry(ScalarNode Key, ComposeNode Value);
