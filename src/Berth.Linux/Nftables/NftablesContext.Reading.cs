using System.Text.Json;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Nftables;

/// <summary>Reading: nft lists as JSON, parsed here. Berth never feeds JSON back in (nft 1.0.6 JSON input is broken).</summary>
public sealed partial class NftablesContext
{
    /// <summary>
    /// Runs one <c>list …</c> command with JSON output, e.g. <c>list table inet berth</c>, and returns nft's JSON.
    /// Only a single list command is accepted.
    /// </summary>
    public string ListJson(string command)
    {
        ValidateListCommand(command);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            var flags = LibNftables.CtxOutputGetFlags(_handle);

            // In 1.0.6 the JSON flag also makes the parser try JSON input first; a text list command falls back to
            // the text parser. The flag is set only for this call, so Apply always parses text.
            LibNftables.CtxOutputSetFlags(_handle, flags | NftOutputFlags.Json);
            try
            {
                return Run(command, $"\"{command}\"");
            }
            finally
            {
                LibNftables.CtxOutputSetFlags(_handle, flags);
            }
        }
    }

    internal static void ValidateListCommand(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.StartsWith("list ", StringComparison.Ordinal) || command.Any(c => c is ';' or '{' or '}' or '#' or '"' || char.IsControl(c)))
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"\"{NftText.Printable(command)}\" is not a single nft list command; pass e.g. \"list table inet berth\"");
        }
    }

    /// <summary>
    /// The tables in this context's namespace that Berth can name (<see cref="NftTableRef"/>): other tools' tables
    /// named with nft keywords (iptables-nft's <c>ip filter</c>, <c>ip nat</c>) are left out, never an error.
    /// </summary>
    public IReadOnlyList<NftTableRef> ListTables()
    {
        using var doc = JsonDocument.Parse(ListJson("list tables"));
        var tables = new List<NftTableRef>();
        foreach (var item in Items(doc))
        {
            if (item.TryGetProperty("table", out var table)
                && table.TryGetProperty("family", out var family) && family.ValueKind == JsonValueKind.String
                && NftText.TryParseFamily(family.GetString() ?? "", out var parsedFamily)
                && table.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && NftText.IsIdentifier(name.GetString()) && !NftKeywords.All.Contains(name.GetString()!))
            {
                tables.Add(new NftTableRef(parsedFamily, name.GetString()!));
            }
        }

        return tables;
    }

    /// <summary>Whether the table exists; reads only that table, never the others in the namespace.</summary>
    public bool TableExists(NftTableRef table)
    {
        try
        {
            ListJson($"list table {table}");
            return true;
        }
        catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    public bool TableExists(NftFamily family, string name) => TableExists(new NftTableRef(family, name));

    /// <summary>
    /// Every chain in the namespace with its type, hook, priority and policy, but no rules (<c>list chains</c>):
    /// how Berth finds other tools' forward chains. Chains nft text cannot name are left out.
    /// </summary>
    public IReadOnlyList<NftChainInfo> ListChains() => NftListing.ParseChains(ListJson("list chains"));

    /// <summary>The rules of one chain, any table's, with handles and comments.</summary>
    /// <exception cref="NftablesException">NotFound when the chain (or its table) does not exist.</exception>
    public IReadOnlyList<NftRuleInfo> ListRules(NftChainRef chain) => NftListing.ParseRules(ListJson($"list chain {chain}"), chain);

    /// <summary>
    /// The elements of a set or map, each as nft text: <c>10.0.0.0/24</c>, <c>10.0.0.1-10.0.0.9</c>,
    /// <c>10.0.0.1 . 80</c>, <c>8080 : 10.0.0.2 . 80</c>, <c>"br-abc" : jump fwd_abc</c>.
    /// </summary>
    /// <exception cref="NftablesException">NotFound when the table has no set or map of that name.</exception>
    public IReadOnlyList<string> ListElements(NftFamily family, string table, string setOrMap)
    {
        var reference = new NftTableRef(family, table);
        NftText.Identifier(setOrMap, "set or map name");
        string json;
        try
        {
            json = ListJson($"list set {reference} {setOrMap}");
        }
        catch (NftablesException e) when (e.Kind == ErrorKind.NotFound)
        {
            try
            {
                json = ListJson($"list map {reference} {setOrMap}");
            }
            catch (NftablesException inner) when (inner.Kind == ErrorKind.NotFound)
            {
                throw new NftablesException(ErrorKind.NotFound,
                    $"table {reference} has no set or map \"{setOrMap}\" (or the table does not exist); create it first", inner.NftError);
            }
        }

        using var doc = JsonDocument.Parse(json);
        foreach (var item in Items(doc))
        {
            if (item.TryGetProperty("set", out var set) || item.TryGetProperty("map", out set))
            {
                return NftJsonElements.Render(set);
            }
        }

        return [];
    }

    private static IEnumerable<JsonElement> Items(JsonDocument doc) =>
        doc.RootElement.TryGetProperty("nftables", out var items) ? items.EnumerateArray() : [];
}
