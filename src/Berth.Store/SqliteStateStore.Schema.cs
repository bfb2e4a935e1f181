using Berth.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Berth.Store;

public sealed partial class SqliteStateStore
{
    /// <summary>
    /// Migrations[i] takes the schema from version i to i + 1 (PRAGMA user_version). Append only;
    /// never edit a shipped step.
    /// </summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE kv (
            key             TEXT    NOT NULL PRIMARY KEY,
            value           BLOB    NOT NULL,
            create_revision INTEGER NOT NULL,
            mod_revision    INTEGER NOT NULL,
            version         INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE meta (
            id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 0),
            revision INTEGER NOT NULL
        );
        INSERT INTO meta (id, revision) VALUES (0, 0);
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    private static int Migrate(SqliteConnection connection, string path, ILogger logger)
    {
        var found = ReadUserVersion(connection, null);
        if (found > SchemaVersion)
        {
            throw new BerthException(ErrorKind.NotSupported, $"state store {path} has schema version {found}, newer than this berthd understands ({SchemaVersion}); upgrade berthd or choose another --root");
        }

        for (var step = found; step < SchemaVersion; step++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);

            // Another process may have migrated between our read and BEGIN IMMEDIATE.
            if (ReadUserVersion(connection, transaction) > step)
            {
                continue;
            }

            Execute(connection, transaction, Migrations[step]);
            Execute(connection, transaction, $"PRAGMA user_version = {step + 1}");
            transaction.Commit();
        }

        if (found < SchemaVersion)
        {
            StoreLog.Migrated(logger, path, found, SchemaVersion);
        }

        return SchemaVersion;
    }

    private static int ReadUserVersion(SqliteConnection connection, SqliteTransaction? transaction) =>
        Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);

    private static long ReadRevision(SqliteConnection connection, SqliteTransaction? transaction) =>
        Convert.ToInt64(Scalar(connection, transaction, "SELECT revision FROM meta WHERE id = 0"), System.Globalization.CultureInfo.InvariantCulture);

    private static StoreEntry? ReadEntry(SqliteConnection connection, SqliteTransaction? transaction, string key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SelectColumns + " WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        using var rows = command.ExecuteReader();
        return rows.Read() ? ReadEntry(rows) : null;
    }

    private static StoreEntry ReadEntry(SqliteDataReader rows) => new(
        rows.GetString(0),
        rows.GetFieldValue<byte[]>(1),
        rows.GetInt64(2),
        rows.GetInt64(3),
        rows.GetInt64(4));

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
