using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Linux.Nftables;

/// <summary>
/// Collects nft commands, one per line, for <see cref="NftablesContext.Apply(NftBatch, string?)"/> to commit as one
/// transaction: all of it takes effect, or none. Every method names its table explicitly, so a batch only ever touches
/// tables its author named (there is deliberately no <c>flush ruleset</c>). Not thread-safe; build, apply, drop.
/// </summary>
public sealed class NftBatch
{
    private readonly List<string> _commands = [];

    public int Count => _commands.Count;

    public bool IsEmpty => _commands.Count == 0;

    public IReadOnlyList<string> Commands => _commands;

    /// <summary>
    /// Creates the table or replaces it whole: <c>add table; delete table; add table; …</c>, which works whether or not
    /// it existed (nft 1.0.6 has no <c>destroy</c>) and, being one transaction, never shows a half-built table.
    /// </summary>
    public NftBatch ReplaceTable(NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        string t = Table(table.Reference);
        Add($"add table {t}");
        Add($"delete table {t}");
        AddDefinition(table);
        return this;
    }

    /// <summary>Adds the table and its contents without removing anything; fails with Conflict on an existing set element.</summary>
    public NftBatch AddTable(NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        AddDefinition(table);
        return this;
    }

    /// <summary>Deletes the table if it exists (<c>add table; delete table</c>), so teardown can be repeated.</summary>
    public NftBatch DeleteTable(NftTableRef table)
    {
        string t = Table(table);
        Add($"add table {t}");
        Add($"delete table {t}");
        return this;
    }

    /// <summary>Adds a chain (a base chain with its hook) and then its rules.</summary>
    public NftBatch AddChain(NftTableRef table, NftChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        string t = Table(table);
        AddChainHeader(t, chain);
        foreach (var rule in chain.Rules)
        {
            AddRuleLine(t, chain.Name, rule);
        }

        return this;
    }

    public NftBatch DeleteChain(NftTableRef table, string chain) =>
        Add($"delete chain {Table(table)} {NftText.Identifier(chain, "chain name")}");

    /// <summary>Removes every rule from the chain; the chain, its hook and policy stay.</summary>
    public NftBatch FlushChain(NftTableRef table, string chain) =>
        Add($"flush chain {Table(table)} {NftText.Identifier(chain, "chain name")}");

    /// <summary>Appends a rule at the end of the chain.</summary>
    public NftBatch AddRule(NftTableRef table, string chain, NftRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        AddRuleLine(Table(table), NftText.Identifier(chain, "chain name"), rule);
        return this;
    }

    /// <summary>
    /// Inserts a rule at the top of a chain of any table (<c>insert rule ip filter FORWARD …</c>): Berth's narrow
    /// accept rules in other tools' forward chains. Their names come from the kernel, so they may be nft keywords.
    /// </summary>
    public NftBatch InsertRule(NftChainRef chain, NftRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var sb = new StringBuilder($"insert rule {Chain(chain)} ");
        rule.RenderTo(sb);
        return Add(sb.ToString());
    }

    /// <summary>Deletes one rule by handle from a chain of any table; a handle that is gone fails with NotFound.</summary>
    public NftBatch DeleteRule(NftChainRef chain, long handle)
    {
        if (handle <= 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"nftables rule handle {handle} is not valid; handles are positive");
        }

        return Add($"delete rule {Chain(chain)} handle {handle.ToString(CultureInfo.InvariantCulture)}");
    }

    public NftBatch AddSet(NftTableRef table, NftSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        string t = Table(table);
        AddSetLines(t, set);
        return this;
    }

    public NftBatch AddMap(NftTableRef table, NftMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        string t = Table(table);
        AddMapLines(t, map);
        return this;
    }

    /// <summary>
    /// <c>add element</c>: the per-object operation (one port mapping, one endpoint), a few bytes whatever the size of
    /// the ruleset. An element whose key exists fails with Conflict; to change one, delete and add it in one batch.
    /// </summary>
    public NftBatch AddElements(NftTableRef table, string setOrMap, IEnumerable<NftElement> elements) =>
        AddElementLine("add", Table(table), NftText.Identifier(setOrMap, "set or map name"), elements, withData: true);

    /// <summary><c>delete element</c> by key (map data is not needed); a missing key fails with NotFound.</summary>
    public NftBatch DeleteElements(NftTableRef table, string setOrMap, IEnumerable<NftElement> elements) =>
        AddElementLine("delete", Table(table), NftText.Identifier(setOrMap, "set or map name"), elements, withData: false);

    public NftBatch FlushSet(NftTableRef table, string setName) =>
        Add($"flush set {Table(table)} {NftText.Identifier(setName, "set name")}");

    public NftBatch FlushMap(NftTableRef table, string mapName) =>
        Add($"flush map {Table(table)} {NftText.Identifier(mapName, "map name")}");

    /// <summary>The whole batch as one nft text buffer, one command per line.</summary>
    public string Render()
    {
        var sb = new StringBuilder();
        foreach (string command in _commands)
        {
            sb.Append(command).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A short description for error messages: the command, or the first of several.</summary>
    public string Describe()
    {
        const int MaxShown = 120;
        if (_commands.Count == 0)
        {
            return "an empty nftables batch";
        }

        string first = _commands[0].Length > MaxShown ? _commands[0][..MaxShown] + "…" : _commands[0];
        return _commands.Count == 1 ? $"\"{first}\"" : $"a batch of {_commands.Count} nftables commands starting with \"{first}\"";
    }

    private static string Table(NftTableRef table)
    {
        if (table.Name is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "nftables command needs a table with a family and a name");
        }

        return table.ToString();
    }

    private static string Chain(NftChainRef chain)
    {
        if (chain.Table is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "nftables command needs a chain with a family, a table and a name");
        }

        return chain.ToString();
    }

    private NftBatch Add(string command)
    {
        _commands.Add(command);
        return this;
    }

    private void AddDefinition(NftTable table)
    {
        string t = Table(table.Reference);
        Add($"add table {t}");
        foreach (var chain in table.Chains)
        {
            AddChainHeader(t, chain);
        }

        foreach (var set in table.Sets)
        {
            AddSetLines(t, set);
        }

        foreach (var map in table.Maps)
        {
            AddMapLines(t, map);
        }

        foreach (var chain in table.Chains)
        {
            foreach (var rule in chain.Rules)
            {
                AddRuleLine(t, chain.Name, rule);
            }
        }
    }

    private void AddChainHeader(string table, NftChain chain)
    {
        var sb = new StringBuilder("add chain ").Append(table).Append(' ').Append(chain.Name);
        if (chain.Base is not null)
        {
            sb.Append(' ');
            chain.Base.RenderTo(sb);
        }

        Add(sb.ToString());
    }

    private void AddRuleLine(string table, string chain, NftRule rule)
    {
        var sb = new StringBuilder("add rule ").Append(table).Append(' ').Append(chain).Append(' ');
        rule.RenderTo(sb);
        Add(sb.ToString());
    }

    private void AddSetLines(string table, NftSet set)
    {
        var sb = new StringBuilder("add set ").Append(table).Append(' ').Append(set.Name).Append(' ');
        NftSet.RenderBody(sb, set.KeyType, null, set.Flags);
        Add(sb.ToString());
        if (set.Elements.Length > 0)
        {
            AddElementLine("add", table, set.Name, set.Elements.Select(e => new NftElement(e)), withData: true);
        }
    }

    private void AddMapLines(string table, NftMap map)
    {
        var sb = new StringBuilder("add map ").Append(table).Append(' ').Append(map.Name).Append(' ');
        NftSet.RenderBody(sb, map.KeyType, map.DataType, map.Flags);
        Add(sb.ToString());
        if (map.Elements.Length > 0)
        {
            AddElementLine("add", table, map.Name, map.Elements, withData: true);
        }
    }

    private NftBatch AddElementLine(string verb, string table, string setOrMap, IEnumerable<NftElement> elements, bool withData)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var sb = new StringBuilder(verb).Append(" element ").Append(table).Append(' ').Append(setOrMap).Append(" { ");
        int count = 0;
        foreach (var element in elements)
        {
            ArgumentNullException.ThrowIfNull(element);
            if (count++ > 0)
            {
                sb.Append(", ");
            }

            element.RenderTo(sb, withData);
        }

        if (count == 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{verb} element on {table} {setOrMap} needs at least one element");
        }

        return Add(sb.Append(" }").ToString());
    }
}
