using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>Docker's rule for <c>-v /host:/ctr</c>: a host path that does not exist yet is made as a directory.</summary>
internal static class BindMountSource
{
    public static BindMount Prepare(string value)
    {
        BindMount bind = BindMount.Parse(value);
        if (!Path.Exists(bind.Source))
        {
            Directory.CreateDirectory(bind.Source);
        }

        return bind;
    }
}
