namespace Berth.Linux.Links;

/// <summary>macvlan modes (MACVLAN_MODE_* in linux/if_link.h).</summary>
public enum MacvlanMode : uint
{
    /// <summary>No traffic between macvlans of one parent; everything goes out of the parent.</summary>
    Private = 1,

    /// <summary>Traffic between macvlans goes out to the switch (which must hairpin it back).</summary>
    Vepa = 2,

    /// <summary>Macvlans of one parent talk directly to each other (Docker's default).</summary>
    Bridge = 4,

    /// <summary>One macvlan takes over the parent entirely.</summary>
    Passthru = 8,

    /// <summary>Accepts only frames from listed source MACs.</summary>
    Source = 16,
}
