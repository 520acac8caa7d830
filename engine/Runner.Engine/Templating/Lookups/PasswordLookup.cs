using System.Security.Cryptography;
using System.Text;
using Runner.Engine.Playbooks;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// password (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/password_lookup.html): the password
/// stored in a file ("PATH length=N chars=... encrypt=... ident=..."; PATH relative to the playbook's folder),
/// generated (length 20 of ascii letters, digits and ".,:-_") and written there (folder 0700, file 0600) when the
/// file does not exist; /dev/null always generates and stores nothing. The file holds "PASSWORD[ salt=SALT[ ident=ID]]".
/// encrypt=sha512_crypt|sha256_crypt returns the crypt hash (5000 rounds, as Ansible with Python's crypt) with the
/// stored salt, adding a random salt to the file when it has none. seed= gives a repeatable password, not Python's.
/// </summary>
internal sealed class PasswordLookup : LookupPlugin
{
    public const string DefaultChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_";
    private static readonly string[] Valid = { "length", "encrypt", "chars", "ident", "seed" };

    public override IReadOnlyList<string> Names { get; } = new[] { "password" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            var (relpath, p) = Parse(PyOps.Str(t), call);
            var path = Path.IsPathRooted(relpath) ? relpath : relpath.StartsWith('~')
                ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + relpath[1..] : Path.Combine(call.BaseDir, relpath);
            var devNull = path == "/dev/null";
            var content = !devNull && File.Exists(path) ? File.ReadAllText(path).TrimEnd() : null;
            string password;
            string? salt = null, ident = null;
            var changed = false;
            if (content is null)
            {
                password = Random(p.Length, Chars(p.Chars), p.Seed);
                changed = true;
            }
            else (password, salt, ident) = ParseContent(content);
            if (p.Encrypt is not null && salt is null)
            {
                salt = ShaCrypt.RandomSalt(16);
                changed = true;
            }
            if (p.Ident is not null && ident is not null && ident != p.Ident)
                throw new TemplateError($"The ident parameter provided ({p.Ident}) does not match the stored one ({ident}).");
            ident ??= p.Ident;
            if (changed && !devNull) Write(path, Format(password, salt, ident));
            ret.Add(p.Encrypt is null ? password : Encrypt(password, p.Encrypt, salt!));
        }
        return ret;
    }

    private sealed record Params(int Length, string? Encrypt, List<string> Chars, string? Ident, string? Seed);

    /// <summary>_parse_parameters: the path is the first word; the rest are k=v options.</summary>
    private static (string, Params) Parse(string term, LookupCall call)
    {
        var split = term.Split(' ', 2);
        var relpath = split[0];
        var kv = split.Length > 1 ? KeyValueParser.Parse(split[1], true) : new Dict();
        if (kv.Remove("_raw_params", out var rawParams))
        {
            relpath = relpath + " " + PyOps.Str(rawParams);
            if (!term.StartsWith(relpath, StringComparison.Ordinal))
                throw new TemplateError("Unrecognized value after key=value parameters given to password lookup");
        }
        var invalid = kv.Keys.Where(k => !Valid.Contains(k)).ToList();
        if (invalid.Count > 0) throw new TemplateError($"Unrecognized parameter(s) given to password lookup: {string.Join(", ", invalid)}");
        object? Get(string k) => kv.TryGetValue(k, out var v) ? v : call.Option(k);
        var length = Get("length") is { } l ? int.TryParse(PyOps.Str(l), out var n) ? n
            : throw new TemplateError($"invalid literal for int() with base 10: '{PyOps.Str(l)}'") : 20;
        var chars = Get("chars") switch
        {
            null => new List<string> { "ascii_letters", "digits", ".,:-_" },
            List<object?> cl => cl.Select(PyOps.Str).ToList(),
            var cv => SplitChars(PyOps.Str(cv)),
        };
        return (relpath, new Params(length, Get("encrypt") is { } e ? PyOps.Str(e) : null, chars,
            Get("ident") is { } i ? PyOps.Str(i) : null, Get("seed") is { } s ? PyOps.Str(s) : null));
    }

    /// <summary>"a,b" is two specs; ",," is a literal comma.</summary>
    private static List<string> SplitChars(string s)
    {
        var r = new List<string>();
        if (s.Contains(",,")) r.Add(",");
        r.AddRange(s.Replace(",,", ",").Split(',').Where(c => c.Length > 0));
        return r;
    }

    /// <summary>_gen_candidate_chars: names of Python's string constants, else the characters themselves; quotes removed.</summary>
    private static string Chars(List<string> specs)
    {
        const string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", digits = "0123456789";
        const string punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        var sb = new StringBuilder();
        foreach (var spec in specs)
            sb.Append(spec switch
            {
                "ascii_letters" => lower + upper,
                "ascii_lowercase" => lower,
                "ascii_uppercase" => upper,
                "digits" => digits,
                "hexdigits" => digits + "abcdefABCDEF",
                "octdigits" => "01234567",
                "punctuation" => punctuation,
                "printable" => digits + lower + upper + punctuation + " \t\n\r\x0b\x0c",
                "whitespace" => " \t\n\r\x0b\x0c",
                _ => spec,
            });
        return sb.ToString().Replace("\"", "").Replace("'", "");
    }

    private static string Random(int length, string chars, string? seed)
    {
        if (chars.Length == 0) throw new TemplateError("Cannot choose from an empty sequence");
        var rng = seed is null ? null : new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(seed))));
        return string.Concat(Enumerable.Range(0, length).Select(_ => chars[rng?.Next(chars.Length) ?? RandomNumberGenerator.GetInt32(chars.Length)]));
    }

    /// <summary>_parse_content: "PASSWORD salt=SALT ident=ID", both optional, split at the last " salt=".</summary>
    private static (string, string?, string?) ParseContent(string content)
    {
        var i = content.LastIndexOf(" salt=", StringComparison.Ordinal);
        if (i < 0) return (content, null, null);
        var rest = content[(i + 6)..];
        var j = rest.LastIndexOf(" ident=", StringComparison.Ordinal);
        return j < 0 ? (content[..i], rest.Length > 0 ? rest : null, null) : (content[..i], rest[..j], rest[(j + 7)..]);
    }

    private static string Format(string password, string? salt, string? ident) =>
        salt is null ? password : ident is null ? $"{password} salt={salt}" : $"{password} salt={salt} ident={ident}";

    private static void Write(string path, string content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(dir); File.WriteAllText(path, content + "\n"); return; }
        if (!Directory.Exists(dir)) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (File.Create(path)) { }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, content + "\n");
    }

    private static string Encrypt(string password, string scheme, string salt) => scheme switch
    {
        "sha512_crypt" => ShaCrypt.Sha512Crypt(password, salt, 5000),
        "sha256_crypt" => ShaCrypt.Sha256Crypt(password, salt, 5000),
        _ => throw new TemplateError($"Runner's password lookup supports encrypt=sha512_crypt and sha256_crypt, not {scheme}"),
    };
}
