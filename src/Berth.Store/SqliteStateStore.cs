using Berth.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Store;

/// <summary>
/// <see cref="IStateStore"/> in one SQLite file (WAL, synchronous=FULL: a write that returned is on disk).
/// Two connections: writes are serialized on one (each is one BEGIN IMMEDIATE transaction that
/// bumps the revision), reads on the other; WAL lets a read proceed while a commit is being fsynced.
/// Several processes may share the file: the revision and the compared keys are read inside the
/// BEGIN IMMEDIATE transaction that writes (never cached), and a writer waits up to
/// <see cref="BusyTimeoutMilliseconds"/> for another's lock. Watches see only this process's writes.
/// berthd still takes <see cref="StoreLock"/> on its root, so two daemons never share one root.
/// </summary>
public sealed partial class SqliteStateStore : IStateStore
{
    /// <summary>How long a statement waits for another connection's lock (SQLite's busy_timeout).</summary>
    public const int BusyTimeoutMilliseconds = 5000;

    // Primary result codes from sqlite3.h.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private const string SelectColumns = "SELECT key, value, create_revision, mod_revision, version FROM kv";

    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly WatchHub _hub;
    private readonly ILogger _logger;
    private volatile bool _disposed;

    private SqliteStateStore(string path, SqliteConnection writer, SqliteConnection reader, long revision, ILogger logger)
    {
        Path = path;
        _writer = writer;
        _reader = reader;
        _logger = logger;
        _hub = new WatchHub(revision, logger);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating and migrating if needed) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteStateStore> OpenAsync(string path, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        logger ??= NullLogger.Instance;
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);

        SqliteConnection? writer = null;
        SqliteConnection? reader = null;
        try
        {
            writer = await OpenConnectionAsync(fullPath, SqliteOpenMode.ReadWriteCreate, cancellationToken).ConfigureAwait(false);
            var journalMode = Convert.ToString(Scalar(writer, null, "PRAGMA journal_mode = WAL"), System.Globalization.CultureInfo.InvariantCulture);
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new BerthException(ErrorKind.Unavailable, $"state store {fullPath}: the file system does not support SQLite's WAL journal (journal mode is \"{journalMode}\"); put --root on a local file system");
            }

            // FULL: the WAL is fsynced at every commit, so a returned write survives power loss.
            Execute(writer, null, "PRAGMA synchronous = FULL");
            var schemaVersion = Migrate(writer, fullPath, logger);
            var revision = ReadRevision(writer, null);

            reader = await OpenConnectionAsync(fullPath, SqliteOpenMode.ReadWrite, cancellationToken).ConfigureAwait(false);
            Execute(reader, null, "PRAGMA query_only = ON");

            var store = new SqliteStateStore(fullPath, writer, reader, revision, logger);
            StoreLog.Opened(logger, fullPath, revision, schemaVersion);
            writer = null;
            reader = null;
            return store;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, fullPath, "open");
        }
        finally
        {
            // Set to null once the store owns them; otherwise opening failed part-way.
            reader?.Dispose();
            writer?.Dispose();
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(_readLock, cancellationToken).ConfigureAwait(false);
        try
        {
            return ReadRevision(_reader, null);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Path, "read the revision");
        }
        finally
        {
            _readLock.Release();
        }
    }

    public async Task<StoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidateKey(key);
        await EnterAsync(_readLock, cancellationToken).ConfigureAwait(false);
        try
        {
            return ReadEntry(_reader, null, key);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Path, $"read \"{key}\"");
        }
        finally
        {
            _readLock.Release();
        }
    }

    public async Task<IReadOnlyList<StoreEntry>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StoreChangePlanner.ValidatePrefix(prefix);
        await EnterAsync(_readLock, cancellationToken).ConfigureAwait(false);
        try
        {
            // Keys sort by their UTF-8 bytes (BINARY collation), so every key with the prefix lies in
            // one run starting at the prefix itself: scan the primary key from there until the first
            // key that does not match.
            using var command = _reader.CreateCommand();
            command.CommandText = SelectColumns + " WHERE key >= $prefix ORDER BY key";
            command.Parameters.AddWithValue("$prefix", prefix);
            using var rows = command.ExecuteReader();
            var entries = new List<StoreEntry>();
            while (rows.Read())
            {
                var entry = ReadEntry(rows);
                if (!entry.Key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    break;
                }

                entries.Add(entry);
            }

            return entries;
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Path, $"list \"{prefix}\"");
        }
        finally
        {
            _readLock.Release();
        }
    }

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _hub.WatchAsync(prefix, afterRevision, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _hub.Complete();

        // Wait for a write or read in flight, then close; callers that wait behind us see _disposed.
        await _writeLock.WaitAsync().ConfigureAwait(false);
        await _readLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _reader.DisposeAsync().ConfigureAwait(false);
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _readLock.Release();
            _writeLock.Release();
        }
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string path, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Cache = SqliteCacheMode.Private,

            // The file must really be closed on dispose (reopen, tests, the daemon's lock).
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            Execute(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            var opened = connection;
            connection = null;
            return opened;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task EnterAsync(SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_disposed)
        {
            gate.Release();
            throw new ObjectDisposedException(nameof(SqliteStateStore));
        }
    }

    private static BerthException Translate(SqliteException ex, string path, string operation) => ex.SqliteErrorCode switch
    {
        SqliteFull => new BerthException(ErrorKind.Unavailable, $"state store {path}: cannot {operation}: the disk is full; free space and retry", ex),
        SqliteBusy or SqliteLocked => new BerthException(ErrorKind.Unavailable, $"state store {path}: cannot {operation}: the database is locked by another process; make sure only one berthd uses this --root", ex),
        SqliteReadOnly or SqliteCantOpen => new BerthException(ErrorKind.Unavailable, $"state store {path}: cannot {operation}: the file cannot be opened for writing ({ex.Message}); check the permissions and free space of --root", ex),
        SqliteCorrupt or SqliteNotADatabase => new BerthException(ErrorKind.Internal, $"state store {path}: cannot {operation}: the database is corrupt ({ex.Message}); restore it from a backup or move it away to start empty", ex),
        SqliteIoError => new BerthException(ErrorKind.Unavailable, $"state store {path}: cannot {operation}: I/O error ({ex.Message}); check the disk under --root", ex),
        _ => new BerthException(ErrorKind.Internal, $"state store {path}: cannot {operation}: {ex.Message}", ex),
    };
}
