using System.Globalization;
using Berth.Api.Contracts;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands;

/// <summary>One row of <c>berth history</c>, docker's <c>historyContext</c>.</summary>
public sealed class HistoryRow : StringFieldsRow
{
    public static readonly TableHeader Header = new(new Dictionary<string, string>
    {
        ["ID"] = "IMAGE",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedBy"] = "CREATED BY",
        ["Size"] = "SIZE",
        ["Comment"] = "COMMENT",
    });

    private const int CreatedByWidth = 45;
    private const int SizePrecision = 3;

    /// <summary>Times before 2000 are not shown in human units (docker's <c>epoch</c>).</summary>
    private static readonly long HumanEpoch = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public HistoryRow(ImageHistoryItem item, bool truncate, bool human, DateTimeOffset now)
        : base("*image.historyContext")
    {
        var createdAt = GoUnits.UnixToRfc3339(item.Created, utcAsZ: true);
        var createdBy = item.CreatedBy.Replace('\t', ' ');
        Fields["ID"] = truncate ? GoUnits.TruncateId(item.Id) : item.Id;
        Fields["CreatedAt"] = createdAt;
        Fields["CreatedSince"] = !human ? createdAt
            : item.Created <= HumanEpoch ? ""
            : GoUnits.HumanDuration(now - DateTimeOffset.FromUnixTimeSeconds(item.Created)) + " ago";
        Fields["CreatedBy"] = truncate ? GoUnits.Ellipsis(createdBy, CreatedByWidth) : createdBy;
        Fields["Size"] = human ? GoUnits.HumanSize(item.Size, SizePrecision) : item.Size.ToString(CultureInfo.InvariantCulture);
        Fields["Comment"] = item.Comment;
    }
}
