namespace Runner.Engine.Connections;

/// <summary>
/// Builds the remote command line for a script: <c>sh -c 'SCRIPT'</c>, wrapped in sudo or su for become,
/// as Ansible's become plugins do (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/sudo_become.html,
/// su_become.html): sudo runs <c>sudo -H -S -n -u USER sh -c ...</c> without a password, and
/// <c>sudo -H -S -p PROMPT -u USER sh -c ...</c> with the password as the first line of stdin;
/// su runs <c>su -s /bin/sh USER -c ...</c>. Environment and working directory go inside the script.
/// </summary>
public static class SshBecome
{
    /// <summary>The prompt sudo prints on stderr (removed from results).</summary>
    public const string Prompt = "[runner-become-password] ";

    /// <summary>
    /// The command line and the bytes to send before the caller's stdin (the become password line and a marker line the
    /// wrapped script reads up to, or empty).
    /// <paramref name="loginUser"/> is the SSH user: become to that same user needs no wrapper.
    /// Errors: <see cref="ArgumentException"/> for a become method other than sudo or su.
    /// </summary>
    public static (string Command, byte[] StdinPrefix) Wrap(string script, ExecOptions o, string loginUser)
    {
        if (o.BecomeUser is null || o.BecomeUser == loginUser) return ("sh -c " + ShellQuote.Quote(Prelude(o) + script), Array.Empty<byte>());
        var body = Prelude(o) + script;
        var pw = Array.Empty<byte>();
        if (o.BecomePassword is not null)
        {
            // sudo/su read the password line only when they ask for one (not for root, not with NOPASSWD): the script
            // first reads stdin up to a marker line, so the password never reaches the command's stdin either way.
            var marker = $"__RUNNER_BECOME_{Guid.NewGuid():N}__";
            body = $"while IFS= read -r l; do [ \"$l\" = {marker} ] && break; done; l=\n" + body;
            pw = System.Text.Encoding.UTF8.GetBytes(o.BecomePassword + "\n" + marker + "\n");
        }
        var sh = "sh -c " + ShellQuote.Quote(body);
        var user = ShellQuote.Quote(o.BecomeUser);
        return (o.BecomeMethod ?? "sudo") switch
        {
            "sudo" => (o.BecomePassword is null
                ? $"sudo -H -S -n -u {user} {sh}"
                : $"sudo -H -S -p {ShellQuote.Quote(Prompt)} -u {user} {sh}", pw),
            "su" => ($"su -s /bin/sh {user} -c {ShellQuote.Quote(body)}", pw),
            var m => throw new ArgumentException($"Unsupported become method '{m}' (Runner supports sudo and su)"),
        };
    }

    /// <summary>
    /// Removes the sudo prompt from stderr and turns sudo's/su's own refusals into Ansible's messages:
    /// "Incorrect sudo password", "Missing sudo password", "Incorrect su password" (rc 1).
    /// </summary>
    public static CommandResult Clean(CommandResult r, ExecOptions o, string loginUser)
    {
        if (o.BecomeUser is null || o.BecomeUser == loginUser) return r;
        var err = r.Stderr.Replace(Prompt, "");
        if (r.ExitCode != 0 && (o.BecomeMethod ?? "sudo") == "sudo")
        {
            if (err.Contains("incorrect password attempt") || err.Contains("Sorry, try again"))
                return new CommandResult(1, r.Stdout, $"Incorrect sudo password (sudo said: {err.Trim()})");
            if (err.Contains("a password is required"))
                return new CommandResult(1, r.Stdout, $"Missing sudo password (sudo said: {err.Trim()})");
        }
        if (r.ExitCode != 0 && o.BecomeMethod == "su" && err.Contains("Authentication failure"))
            return new CommandResult(1, r.Stdout, $"Incorrect su password (su said: {err.Trim()})");
        return r with { Stderr = err };
    }

    /// <summary>Ansible's become failure message when <paramref name="stderr"/> is one that <see cref="Clean"/> wrote
    /// ("Incorrect sudo password", "Missing sudo password", "Incorrect su password"), else null.</summary>
    public static string? Refusal(string stderr) =>
        new[] { "Incorrect sudo password", "Missing sudo password", "Incorrect su password" }.FirstOrDefault(stderr.StartsWith);

    private static string Prelude(ExecOptions o)
    {
        var sb = new System.Text.StringBuilder();
        if (o.Environment is { Count: > 0 } env)
            foreach (var (k, v) in env)
                if (k.Length > 0 && k.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(k[0]))
                    sb.Append("export ").Append(k).Append('=').Append(ShellQuote.Quote(v)).Append('\n');
        if (o.WorkingDirectory is not null)
            sb.Append("cd ").Append(ShellQuote.Quote(o.WorkingDirectory)).Append(" || exit 1\n");
        return sb.ToString();
    }
}
