namespace Berth.Runtime.Images;

/// <summary>A container made from an image, as <c>docker rmi</c> needs to know it: its id and whether it runs.</summary>
public sealed record ImageUser(string ContainerId, bool Running);
