namespace Berth.Linux.Routes;

/// <summary>Well-known routing tables (RT_TABLE_*); any other number up to 2^32-1 is a table too.</summary>
public static class RouteTable
{
    public const int Unspecified = 0;
    public const int Default = 253;
    public const int Main = 254;
    public const int Local = 255;
}
