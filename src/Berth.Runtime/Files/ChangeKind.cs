namespace Berth.Runtime.Files;

/// <summary>Docker's <c>Kind</c> of a filesystem change (moby <c>container.ChangeType</c>): the numbers are the API's.</summary>
public enum ChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}
