namespace Berth.Runtime.Containers;

/// <summary>
/// The files of one exec, in a directory of the container's (removed with the container): the process
/// spec runc reads, the pid file it writes, and its own JSON log, the only place a failed start is told apart
/// from a process that exited 255.
/// </summary>
public sealed record ExecPaths(string Directory, string ExecId)
{
    public string Process => Path.Combine(Directory, ExecId + ".json");

    public string PidFile => Path.Combine(Directory, ExecId + ".pid");

    public string RuncLog => Path.Combine(Directory, ExecId + ".log");

    public void Delete()
    {
        File.Delete(Process);
        File.Delete(PidFile);
        File.Delete(RuncLog);
    }
}
