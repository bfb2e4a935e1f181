using System.Collections.Immutable;
using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Runtime.Logging;

/// <summary>
/// The log drivers by name, and Docker's checks of a <see cref="LogConfig"/> with its messages (moby
/// <c>logger.ValidateLogOpts</c>, then each driver's <c>ValidateLogOpt</c> and the checks of its <c>New</c>). Docker
/// reports bad values only when the container starts; Berth at create, with the same words.
/// </summary>
public static class LogDrivers
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    /// <summary>Docker's default <c>max-size</c>, <c>max-file</c> and <c>compress</c> for local (moby local <c>defaultMaxFileSize</c> …).</summary>
    private static readonly LogRotation LocalDefaults = new(20L * 1024 * 1024, 5, true);

    /// <summary>Options every driver takes (moby <c>builtInLogOpts</c>): they tune the daemon's buffering, which Berth does not need (conmon writes to a file).</summary>
    private static readonly ImmutableHashSet<string> BuiltInOptions = ["mode", "max-buffer-size"];

    /// <summary>The options of json-file and local (moby jsonfilelog/local <c>ValidateLogOpt</c>).</summary>
    private static readonly ImmutableHashSet<string> FileOptions = ["max-file", "max-size", "compress", "labels", "labels-regex", "env", "env-regex", "tag"];

    /// <summary>Docker's other drivers: named, so that asking for one says what Berth has rather than that it does not exist.</summary>
    private static readonly ImmutableHashSet<string> DockerOnly = ["syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "etwlogs", "gcplogs", "logentries"];

    /// <summary>
    /// The config a container gets (moby <c>mergeAndVerifyLogConfig</c>): no type is the daemon's; the daemon's options fill
    /// in those not given when the type is the daemon's. Checked; InvalidArgument with Docker's message otherwise.
    /// </summary>
    public static LogConfig Resolve(LogConfig? requested, LogConfig daemonDefault)
    {
        ArgumentNullException.ThrowIfNull(daemonDefault);
        string type = requested?.Type is { Length: > 0 } t ? t : daemonDefault.Type;
        var options = requested?.Options ?? ImmutableDictionary<string, string>.Empty;
        if (type == daemonDefault.Type)
        {
            options = options.AddRange(daemonDefault.Options.Where(o => !options.ContainsKey(o.Key)));
        }

        var config = new LogConfig(type, options);
        Check(config);
        return config;
    }

    /// <summary>Checks a config; the settings it makes. InvalidArgument with Docker's message when it is wrong.</summary>
    public static LogDriverSettings Check(LogConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Type == None)
        {
            return new LogDriverSettings(LogDriverKind.None, LogRotation.Unbounded);
        }

        var options = config.Options;
        string mode = options.GetValueOrDefault("mode", "");
        if (mode is not ("" or "blocking" or "non-blocking"))
        {
            throw Invalid($"logger: logging mode not supported: {mode}");
        }

        if (options.TryGetValue("max-buffer-size", out string? buffer))
        {
            if (mode != "non-blocking")
            {
                throw Invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
            }

            _ = HumanSize.Parse(buffer, HumanSize.Binary) ?? throw Invalid($"error parsing option max-buffer-size: invalid size: '{buffer}'");
        }

        if (DockerOnly.Contains(config.Type))
        {
            throw Invalid($"log driver \"{config.Type}\" is not supported by Berth: use {JsonFile} (the default), {Local} or {None} (--log-driver, compose logging.driver)");
        }

        if (config.Type is not (JsonFile or Local))
        {
            throw Invalid($"logger: no log driver named '{config.Type}' is registered");
        }

        foreach (string key in options.Keys.Order(StringComparer.Ordinal).Where(k => !BuiltInOptions.Contains(k) && !FileOptions.Contains(k)))
        {
            throw Invalid(config.Type == JsonFile ? $"unknown log opt '{key}' for json-file log driver" : $"unknown log opt '{key}' for log driver local");
        }

        return config.Type == JsonFile
            ? new LogDriverSettings(LogDriverKind.JsonFile, JsonFileRotation(options))
            : new LogDriverSettings(LogDriverKind.Local, LocalRotation(options));
    }

    /// <summary>moby jsonfilelog <c>New</c>: unbounded and one file unless told, compression only with rotation.</summary>
    private static LogRotation JsonFileRotation(ImmutableDictionary<string, string> options)
    {
        long? maxSize = null;
        if (options.TryGetValue("max-size", out string? size))
        {
            maxSize = HumanSize.Parse(size, HumanSize.Decimal) ?? throw Invalid($"invalid size: '{size}'");
            if (maxSize <= 0)
            {
                throw Invalid("max-size must be a positive number");
            }
        }

        int maxFiles = 1;
        if (options.TryGetValue("max-file", out string? files))
        {
            maxFiles = GoAtoi(files) ?? throw Invalid($"strconv.Atoi: parsing \"{files}\": invalid syntax");
            if (maxFiles < 1)
            {
                throw Invalid("max-file cannot be less than 1");
            }
        }

        bool compress = false;
        if (options.TryGetValue("compress", out string? text))
        {
            compress = GoParseBool(text) ?? throw Invalid($"strconv.ParseBool: parsing \"{text}\": invalid syntax");
            if (compress && (maxFiles == 1 || maxSize is null))
            {
                throw Invalid("compress cannot be true when max-file is less than 2 or max-size is not set");
            }
        }

        return new LogRotation(maxSize, maxFiles, compress);
    }

    /// <summary>moby local <c>newConfig</c>: 20 MiB × 5, compressed, unless told.</summary>
    private static LogRotation LocalRotation(ImmutableDictionary<string, string> options)
    {
        long maxSize = LocalDefaults.MaxSize!.Value;
        if (options.TryGetValue("max-size", out string? size))
        {
            maxSize = HumanSize.Parse(size, HumanSize.Decimal) ?? throw Invalid($"invalid value for max-size: {size}: invalid size: '{size}'");
        }

        int maxFiles = LocalDefaults.MaxFiles;
        if (options.TryGetValue("max-file", out string? files))
        {
            maxFiles = GoAtoi(files) ?? throw Invalid($"invalid value for max-file: {files}: strconv.Atoi: parsing \"{files}\": invalid syntax");
        }

        bool compress = LocalDefaults.Compress;
        if (options.TryGetValue("compress", out string? text))
        {
            compress = GoParseBool(text) ?? throw Invalid($"invalid boolean value for compress: strconv.ParseBool: parsing \"{text}\": invalid syntax");
        }

        if (maxFiles < 0)
        {
            throw Invalid("max-file must not be negative");
        }

        if (compress && maxFiles <= 1)
        {
            throw Invalid("compression cannot be enabled when max file count is 1");
        }

        // 0 bytes or files: no bound on the one file.
        return maxSize == 0 || maxFiles == 0 ? new LogRotation(null, 1, false) : new LogRotation(maxSize, maxFiles, compress);
    }

    /// <summary>Go's <c>strconv.Atoi</c>: an optional sign and decimal digits.</summary>
    private static int? GoAtoi(string text) =>
        text.Length > 0 && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && !text.Contains(' ', StringComparison.Ordinal) ? value : null;

    /// <summary>Go's <c>strconv.ParseBool</c>.</summary>
    private static bool? GoParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    private static BerthException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
