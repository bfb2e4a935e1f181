namespace Berth.Runtime.Logging;

/// <summary>The log drivers Berth has.</summary>
public enum LogDriverKind
{
    /// <summary>Docker's json-file: its on-disk format, readable by tools that read Docker's logs.</summary>
    JsonFile,

    /// <summary>Docker's local: protobuf records, rotated and compressed by default.</summary>
    Local,

    /// <summary>Nothing kept: <c>docker logs</c> refuses, attach still shows live output.</summary>
    None,
}
