using Berth.Cluster.Pki;
using Berth.Cluster.Swarm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>When a node renews its own certificate (<see cref="RenewalSchedule"/>, <see cref="CertificateRenewer"/>), on a fake clock.</summary>
public sealed class CertificateRenewerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Validity = TimeSpan.FromHours(10);
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly List<DateTimeOffset> _calls = [];
    private CertificateTerm _term = new("01", Start, Start + Validity);

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.65)]
    [InlineData(0.999999, 0.8)]
    public void TheRenewalPointLiesBetweenHalfAndFourFifthsOfTheValidity(double random, double fraction)
    {
        DateTimeOffset due = RenewalSchedule.Due(Start, Start + Validity, random);
        Assert.InRange((due - Start) / Validity, fraction - 0.0001, fraction + 0.0001);
        for (int i = 0; i < 1000; i++)
        {
            Assert.InRange((RenewalSchedule.Due(Start, Start + Validity, Random.Shared.NextDouble()) - Start) / Validity, 0.5, 0.8);
        }
    }

    [Fact]
    public void BackoffGrowsFromASecondAndStopsAtAnHour()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), RenewalSchedule.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(31), RenewalSchedule.Backoff(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(61), RenewalSchedule.Backoff(2, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(121), RenewalSchedule.Backoff(3, 0.5));
        Assert.Equal(TimeSpan.FromHours(1), RenewalSchedule.Backoff(30, 0.99));
    }

    [Fact]
    public async Task ACertificateIsRenewedAtItsPointNotBeforeAndTheNewOneIsScheduledAfresh()
    {
        using var stopping = new CancellationTokenSource();
        Task loop = Renewer(_ => Task.FromResult(Renew()), draw: 0.5).RunAsync(stopping.Token);
        DateTimeOffset due = Start + Validity * 0.65;

        await AdvanceUntilAsync(() => _calls.Count == 1, Validity);
        Assert.InRange(_calls[0], due, due + 3 * Step);

        // The new certificate (valid from the renewal) gets its own point, 65 % into its own validity.
        DateTimeOffset next = _term.NotBefore + Validity * 0.65;
        await AdvanceUntilAsync(() => _calls.Count == 2, Validity);
        Assert.InRange(_calls[1], next, next + 3 * Step);

        await stopping.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task ACertificatePastItsPointOrExpiredIsRenewedAtOnce()
    {
        _term = new("01", Start - Validity * 0.9, Start + Validity * 0.1);
        using var stopping = new CancellationTokenSource();
        Task loop = Renewer(_ => Task.FromResult(Renew()), draw: 0.0).RunAsync(stopping.Token);
        Assert.True(await SwarmTestSupport.PollAsync(() => Task.FromResult(_calls.Count == 1)));
        Assert.Equal(Start, _calls[0]);
        await stopping.CancelAsync();
        await loop;

        _calls.Clear();
        _term = new("02", Start - Validity * 2, Start - Validity);
        using var again = new CancellationTokenSource();
        loop = Renewer(_ => Task.FromResult(Renew()), draw: 0.9).RunAsync(again.Token);
        Assert.True(await SwarmTestSupport.PollAsync(() => Task.FromResult(_calls.Count == 1)));
        Assert.Equal(Start, _calls[0]);
        await again.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task AFailedRenewalIsTriedAgainAfterAGrowingBackoffUntilItWorks()
    {
        _term = new("01", Start - Validity, Start + TimeSpan.FromMinutes(30));
        int failures = 2;
        using var stopping = new CancellationTokenSource();
        Task loop = Renewer(_ => failures-- > 0 ? throw new IOException("no manager answers") : Task.FromResult(Renew()), draw: 0.5).RunAsync(stopping.Token);

        await AdvanceUntilAsync(() => _calls.Count == 3, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        // With the draw at 0.5: 1 s + 30 s after the first failure, 1 s + 60 s after the second.
        Assert.Equal(Start, _calls[0]);
        Assert.InRange(_calls[1] - _calls[0], TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(34));
        Assert.InRange(_calls[2] - _calls[1], TimeSpan.FromSeconds(61), TimeSpan.FromSeconds(64));
        Assert.Equal("renewed-3", _term.Serial);

        await stopping.CancelAsync();
        await loop;
    }

    private CertificateRenewer Renewer(Func<CancellationToken, Task<bool>> renew, double draw) =>
        new(_time, () => _term, cancellationToken =>
        {
            _calls.Add(_time.GetUtcNow());
            return renew(cancellationToken);
        }, () => draw, NullLogger.Instance);

    /// <summary>What a renewal does to the node's files: a new certificate, valid from now.</summary>
    private bool Renew()
    {
        DateTimeOffset now = _time.GetUtcNow();
        _term = new("renewed-" + _calls.Count, now, now + Validity);
        return true;
    }

    /// <summary>Moves the fake clock by <paramref name="step"/> at a time, letting the loop run between, until <paramref name="done"/> or <paramref name="within"/>.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done, TimeSpan within, TimeSpan? step = null)
    {
        DateTimeOffset deadline = _time.GetUtcNow() + within;
        while (!done())
        {
            Assert.True(_time.GetUtcNow() < deadline, $"not done by {deadline:o}; renewals at {string.Join(", ", _calls)}");
            await Task.Delay(5);
            _time.Advance(step ?? Step);
        }
    }
}
