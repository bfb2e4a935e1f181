namespace Berth.Compose.Planning;

public enum ContainerActionKind
{
    /// <summary>Running with the same config hash: nothing to do.</summary>
    Keep,

    /// <summary>Stopped with the same config hash: start it.</summary>
    Start,

    /// <summary>Missing: create and start it.</summary>
    Create,

    /// <summary>Its config hash differs (or its shared namespace is gone): remove it, create and start a new one.</summary>
    Recreate,

    /// <summary>Numbered past the scale: stop and remove it.</summary>
    Remove,
}
