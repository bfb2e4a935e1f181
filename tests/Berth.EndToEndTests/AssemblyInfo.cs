// Each test starts its own berthd in a lab namespace; the leak guard compares machine-wide snapshots.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
