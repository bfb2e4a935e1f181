using System.Security.Cryptography;
using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests;

public sealed class JoinTokenTests
{
    // sha256("berth") and the 16 bytes 00 01 … 0f, encoded independently (Python: int → base 36, zero-padded).
    private const string BerthDigestHex = "5c2f64c7f21efd5fb5e3d6a499abe5eacb248ae6f6f0085387c9a056d10ef5fd";
    private const string BerthDigestBase36 = "2appizu2b6bzfiv08vfp6btc67yt5ja3zw0oxckk335tu56dbx";
    private const string CountingSecretBase36 = "000avh9he7dy896m08s18udxr";
    private const string VectorToken = "SWMTKN-1-" + BerthDigestBase36 + "-" + CountingSecretBase36;

    private static readonly CaDigest BerthDigest = new(BerthDigestHex);

    [Fact]
    public void Token_text_is_Dockers_format_with_the_digest_and_secret_in_padded_base36()
    {
        JoinToken token = JoinToken.FromSecret(BerthDigest, Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());

        Assert.Equal(VectorToken, token.ToString());
        Assert.Equal(CountingSecretBase36, token.Secret);
    }

    [Fact]
    public void Parse_reads_the_digest_and_secret_back()
    {
        JoinToken token = JoinToken.Parse(VectorToken);

        Assert.Equal(BerthDigestHex, token.CaDigest.Hex);
        Assert.Equal(CountingSecretBase36, token.Secret);
        Assert.Equal(VectorToken, token.ToString());
        Assert.Equal("sha256:" + BerthDigestHex, token.CaDigest.ToString());
    }

    [Fact]
    public void Generated_tokens_round_trip_and_differ()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => JoinToken.Generate(BerthDigest)).ToList();

        Assert.All(tokens, t => Assert.Matches("^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$", t.ToString()));
        Assert.All(tokens, t => Assert.Equal(t, JoinToken.Parse(t.ToString())));
        Assert.Equal(tokens.Count, tokens.Select(t => t.Secret).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void Extreme_digests_keep_their_width(string hex)
    {
        var token = JoinToken.Generate(new CaDigest(hex));
        string text = token.ToString();

        Assert.Equal("SWMTKN-1-".Length + 50 + 1 + 25, text.Length);
        Assert.Equal(hex, JoinToken.Parse(text).CaDigest.Hex);
    }

    [Theory]
    [InlineData("", "must start with SWMTKN-1-")]
    [InlineData("SWMTKX-1-" + BerthDigestBase36 + "-" + CountingSecretBase36, "must start with SWMTKN-1-")]
    [InlineData("swmtkn-1-" + BerthDigestBase36 + "-" + CountingSecretBase36, "must start with SWMTKN-1-")]
    [InlineData("SWMTKN-2-1-" + BerthDigestBase36 + "-" + CountingSecretBase36, "version 2 (FIPS) tokens are not supported")]
    [InlineData("SWMTKN-3-" + BerthDigestBase36 + "-" + CountingSecretBase36, "unknown version \"3\"")]
    [InlineData("SWMTKN-1-" + BerthDigestBase36, "found 3 parts")]
    [InlineData("SWMTKN-1-" + BerthDigestBase36 + "-" + CountingSecretBase36 + "-x", "found 5 parts")]
    [InlineData("SWMTKN-1-2appizu2b6bzfiv08vfp6btc67yt5ja3zw0oxckk335tu56db-" + CountingSecretBase36, "the CA digest must be 50")]
    [InlineData("SWMTKN-1-2APPIZU2B6BZFIV08VFP6BTC67YT5JA3ZW0OXCKK335TU56DBX-" + CountingSecretBase36, "the CA digest must be 50")]
    [InlineData("SWMTKN-1-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-" + CountingSecretBase36, "the CA digest must be 50")]
    [InlineData("SWMTKN-1-" + BerthDigestBase36 + "-000avh9he7dy896m08s18udx", "the secret must be 25 lowercase letters and digits, found 24 characters")]
    [InlineData("SWMTKN-1-" + BerthDigestBase36 + "-000avh9he7dy896m08s18udxrr", "found 26 characters")]
    [InlineData("SWMTKN-1-" + BerthDigestBase36 + "-zzzzzzzzzzzzzzzzzzzzzzzzz", "the secret must be 25")]
    public void Malformed_tokens_are_invalid_join_tokens_naming_the_flaw(string text, string reason)
    {
        var e = Assert.Throws<BerthException>(() => JoinToken.Parse(text));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("invalid join token: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Surrounding_whitespace_is_forgiven()
    {
        Assert.Equal(VectorToken, JoinToken.Parse("  " + VectorToken + "\n").ToString());
    }

    [Fact]
    public void The_digest_pins_the_CA_certificate()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var ca = ClusterCa.Create(ClusterId.New(), now);
        using var other = ClusterCa.Create(ClusterId.New(), now);
        JoinToken token = JoinToken.Parse(ClusterJoinTokens.Create(ca.Digest).Worker.ToString());

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ca.CertificatePem))), token.CaDigest.Hex);
        token.VerifyCa(ca.CertificatePem);
        var e = Assert.Throws<BerthException>(() => token.VerifyCa(other.CertificatePem));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
        Assert.StartsWith("invalid join token: the manager's CA certificate (sha256:", e.Message, StringComparison.Ordinal);
        Assert.Contains(ca.Digest.ToString(), e.Message, StringComparison.Ordinal);

        // One character of the PEM changed is another CA.
        Assert.Throws<BerthException>(() => token.VerifyCa(ca.CertificatePem.Replace("-----END CERTIFICATE-----", "-----END CERTIFICATE----- ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Worker_and_manager_tokens_admit_their_role_only()
    {
        var tokens = ClusterJoinTokens.Create(BerthDigest);

        Assert.NotEqual(tokens.Worker.Secret, tokens.Manager.Secret);
        Assert.Equal(tokens.Worker.CaDigest, tokens.Manager.CaDigest);
        Assert.Equal(ClusterRole.Worker, tokens.Admit(JoinToken.Parse(tokens.Worker.ToString())));
        Assert.Equal(ClusterRole.Manager, tokens.Admit(JoinToken.Parse(tokens.Manager.ToString())));
        Assert.Same(tokens.Manager, tokens.For(ClusterRole.Manager));

        var stranger = JoinToken.Generate(BerthDigest);
        var e = Assert.Throws<BerthException>(() => tokens.Admit(stranger));
        Assert.Equal(ErrorKind.Forbidden, e.Kind);
        Assert.StartsWith("invalid join token: a valid join token is necessary", e.Message, StringComparison.Ordinal);

        var otherCluster = JoinToken.FromSecret(new CaDigest(new string('0', 64)), new byte[16]);
        var foreign = Assert.Throws<BerthException>(() => tokens.Admit(otherCluster));
        Assert.Contains("names the CA sha256:0000", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_makes_a_new_secret_for_one_role_and_retires_the_old()
    {
        var tokens = ClusterJoinTokens.Create(BerthDigest);
        var rotated = tokens.Rotate(ClusterRole.Worker);

        Assert.NotEqual(tokens.Worker.Secret, rotated.Worker.Secret);
        Assert.Equal(tokens.Worker.CaDigest, rotated.Worker.CaDigest);
        Assert.Same(tokens.Manager, rotated.Manager);
        Assert.Equal(ClusterRole.Worker, rotated.Admit(rotated.Worker));
        Assert.Throws<BerthException>(() => rotated.Admit(tokens.Worker));
        Assert.Equal(ClusterRole.Manager, rotated.Admit(tokens.Manager));

        var managerRotated = rotated.Rotate(ClusterRole.Manager);
        Assert.Throws<BerthException>(() => managerRotated.Admit(tokens.Manager));
        Assert.Same(rotated.Worker, managerRotated.Worker);
    }
}
