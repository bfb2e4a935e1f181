// The leak guard compares machine-wide snapshots (netns list, root links, nft tables, mounts):
// tests in this assembly must not run concurrently with each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
