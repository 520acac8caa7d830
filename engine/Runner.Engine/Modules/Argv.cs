using Runner.Engine.Connections;

namespace Runner.Engine.Modules;

/// <summary>
/// A command for the target as a list of words, immutable (as CliWrap's Command and ArgumentsBuilder): modules add
/// words, never interpolate them into a string. <see cref="ToString"/> is the sh command line, every word quoted by
/// <see cref="ShellQuote"/>, the project's one quoting routine. Example: Argv.Of("groupadd").AddIf(system, "-r").Add(name).
/// </summary>
public sealed class Argv
{
    private readonly string[] _words;

    private Argv(string[] words) => _words = words;

    /// <summary>The command's words, program first.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>A command of these words (program first); at least one word.</summary>
    /// <exception cref="ArgumentException">No words.</exception>
    public static Argv Of(params string[] words) =>
        words.Length == 0 ? throw new ArgumentException("a command needs a program") : new Argv(words.ToArray());

    /// <summary>This command with more words.</summary>
    public Argv Add(params string[] words) => new(_words.Concat(words).ToArray());

    /// <summary>This command with more words when <paramref name="condition"/> holds, else this command.</summary>
    public Argv AddIf(bool condition, params string[] words) => condition ? Add(words) : this;

    /// <summary>This command with more words.</summary>
    public Argv Add(IEnumerable<string> words) => new(_words.Concat(words).ToArray());

    /// <summary>The sh command line: every word quoted, joined with spaces.</summary>
    public override string ToString() => ShellQuote.Join(_words);
}
