namespace Berth.Runtime.Images;

/// <summary>
/// One row of <c>docker history</c>, newest first: the image id on the top row and <c>&lt;missing&gt;</c> below it (the
/// steps have no images of their own), the step's time, command, tags (top row only), layer size and comment.
/// </summary>
public sealed record ImageHistoryStep(string Id, DateTimeOffset Created, string CreatedBy, IReadOnlyList<string> Tags, long Size, string Comment);
