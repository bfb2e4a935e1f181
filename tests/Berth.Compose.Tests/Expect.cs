namespace Berth.Compose.Tests;

internal static class Expect
{
    /// <summary>
    /// Element by element: the model's <c>ImmutableArray</c>s compare by reference as values, so Assert.Equal on them
    /// (which prefers IEquatable) would compare identities, not contents.
    /// </summary>
    public static void Sequence<T>(IEnumerable<T> expected, IEnumerable<T> actual) => Assert.Equal(expected, actual);
}
