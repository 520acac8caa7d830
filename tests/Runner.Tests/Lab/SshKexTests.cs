using Renci.SshNet;
using Renci.SshNet.Security;
using Runner.Engine.Connections;
using Runner.Engine.Values;

namespace Runner.Tests.Lab;

/// <summary>OpenSSH's KexAlgorithms option (ssh_config(5)) read from ansible_ssh_common_args and applied to SSH.NET (no lab needed).</summary>
public class SshKexTests
{
    private static List<string> Apply(string value)
    {
        var info = new ConnectionInfo("h", "u", new NoneAuthenticationMethod("u"));
        SshAuth.ApplyKex(info.KeyExchangeAlgorithms, value);
        return info.KeyExchangeAlgorithms.Keys.ToList();
    }

    private static List<string> Defaults() => new ConnectionInfo("h", "u", new NoneAuthenticationMethod("u")).KeyExchangeAlgorithms.Keys.ToList();

    [Fact]
    public void Common_args_KexAlgorithms_is_read()
    {
        var s = SshSettings.FromHostVars("h", new Dict { ["ansible_ssh_common_args"] = "-o KexAlgorithms=curve25519-sha256" });
        Assert.Equal("curve25519-sha256", s.KexAlgorithms);
        Assert.Null(SshSettings.FromHostVars("h", new Dict()).KexAlgorithms);
    }

    [Fact]
    public void A_plain_list_replaces_the_defaults_in_its_order_and_unknown_names_are_skipped()
    {
        Assert.Equal(new[] { "curve25519-sha256", "ecdh-sha2-nistp256" }, Apply("curve25519-sha256,no-such-kex,ecdh-sha2-nistp256"));
    }

    [Fact]
    public void Caret_moves_first_minus_removes_plus_keeps()
    {
        var d = Defaults();
        var caret = Apply("^curve25519-sha256");
        Assert.Equal("curve25519-sha256", caret[0]);
        Assert.Equal(d.Count, caret.Count);
        var minus = Apply("-sntrup761x25519-sha512");
        Assert.DoesNotContain("sntrup761x25519-sha512", minus);
        Assert.Equal(d.Count - 1, minus.Count);
        Assert.Equal(d, Apply("+curve25519-sha256"));
    }

    [Fact]
    public void Nothing_left_is_a_clear_unreachable_error()
    {
        var e = Assert.Throws<UnreachableException>(() => Apply("no-such-kex"));
        Assert.Contains("KexAlgorithms=no-such-kex", e.Message);
    }
}
