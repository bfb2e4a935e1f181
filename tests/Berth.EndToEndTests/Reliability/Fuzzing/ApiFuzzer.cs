using System.Diagnostics;
using System.Net.Http.Headers;
using CsCheck;

namespace Berth.Fuzzing;

/// <summary>
/// Sends generated requests (<see cref="FuzzRequests"/>) one after another and checks the per-request invariants:
/// the status is below 500 and the response's headers arrive within <see cref="AnswerWithin"/> (a streaming route
/// counts as answered once its headers are out; the fuzzer reads at most <see cref="BodyReadLimit"/> of any body).
/// </summary>
public sealed class ApiFuzzer(HttpClient client, string image)
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    public const int BodyReadLimit = 64 << 10;

    private static readonly string[] VersionPrefixes = ["", "/v1.45", "/v1.41", "/v1.24", "/v1.12", "/v9.99", "/vX"];

    /// <summary>Runs until <paramref name="count"/> requests were sent or <paramref name="until"/> passed, whichever is first.</summary>
    public async Task<FuzzRound> RunAsync(long seed, int count, DateTime until, CancellationToken cancellationToken = default)
    {
        var pcg = new PCG((uint)seed, (ulong)seed);
        Gen<(FuzzRequest, int)> gen = Gen.Select(FuzzRequests.For(FuzzRoutes.All, image), Gen.Int[0, VersionPrefixes.Length - 1], (request, prefix) => (request, prefix));
        var failures = new List<string>();
        int sent = 0, status5xx = 0, hangs = 0;
        double slowestMs = 0;
        string slowest = "";
        byte[] sink = new byte[BodyReadLimit];
        var statuses = new SortedDictionary<int, int>();
        var succeeded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        while (sent < count && DateTime.UtcNow < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (request, prefix) = gen.Generate(pcg, null, out _);
            sent++;
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), VersionPrefixes[prefix] + request.Path);
            if (request.Body.Length > 0 || request.ContentType is not null)
            {
                message.Content = new ByteArrayContent(request.Body);
                if (request.ContentType is not null && MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
                {
                    message.Content.Headers.ContentType = type;
                }
            }

            foreach (var (name, value) in request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(request.Route.AnswerWithin);
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                double ms = clock.Elapsed.TotalMilliseconds;
                int status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status is >= 200 and < 300)
                {
                    succeeded[request.Route.ToString()] = succeeded.GetValueOrDefault(request.Route.ToString()) + 1;
                }

                if (ms > slowestMs && !request.Route.Slow)
                {
                    (slowestMs, slowest) = (ms, request.ToString());
                }

                if ((int)response.StatusCode >= 500 && (int)response.StatusCode != 501 && (int)response.StatusCode != 503)
                {
                    status5xx++;
                    failures.Add($"{(int)response.StatusCode} for {request}: {await ReadSomeAsync(response, sink, cancellationToken)}");
                }
                else
                {
                    await ReadSomeAsync(response, sink, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                hangs++;
                failures.Add($"no answer within {request.Route.AnswerWithin.TotalSeconds:0} s: {request}");
            }
            catch (HttpRequestException e)
            {
                // A refused upload (431, 413) may close the socket before the body is sent: not a failure if the
                // daemon still answers the next request, which the caller's /_ping checks.
                if (e.InnerException is not IOException)
                {
                    failures.Add($"transport error {e.Message} for {request}");
                }
            }
        }

        return new FuzzRound(seed, sent, status5xx, hangs, Math.Round(slowestMs, 1), slowest, failures, statuses) { SucceededByRoute = succeeded };
    }

    /// <summary>Up to <see cref="BodyReadLimit"/> bytes of the body, as text, within <see cref="AnswerWithin"/>; streams are cut there.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, byte[] sink, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerWithin);
        int total = 0;
        try
        {
            await using Stream body = await response.Content.ReadAsStreamAsync(timeout.Token);
            int n;
            while (total < sink.Length && (n = await body.ReadAsync(sink.AsMemory(total), timeout.Token)) > 0)
            {
                total += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        return System.Text.Encoding.UTF8.GetString(sink, 0, Math.Min(total, 300));
    }
}
