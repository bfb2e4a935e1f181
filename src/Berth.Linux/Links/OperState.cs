namespace Berth.Linux.Links;

/// <summary>RFC 2863 operational state (IF_OPER_*).</summary>
public enum OperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
