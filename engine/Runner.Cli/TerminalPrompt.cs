namespace Runner.Cli;

/// <summary>
/// Asks for a secret as Python's getpass does for Ansible's prompts: the prompt on stderr, the answer read without
/// echo from the terminal; when stdin is not a terminal, one line of stdin. Null at end of input (Ansible's EOFError).
/// </summary>
public static class TerminalPrompt
{
    /// <summary>The answer to <paramref name="prompt"/>, without its line end; null at end of input.</summary>
    public static string? ReadSecret(string prompt)
    {
        Console.Error.Write(prompt);
        Console.Error.Flush();
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine(); // getpass's fallback: no newline after the answer
        }
        var pw = new System.Text.StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter) break;
            if (k.Key == ConsoleKey.D && k.Modifiers == ConsoleModifiers.Control && pw.Length == 0) { Console.Error.WriteLine(); return null; }
            if (k.Key == ConsoleKey.Backspace && pw.Length > 0) pw.Length--;
            else if (!char.IsControl(k.KeyChar)) pw.Append(k.KeyChar);
        }
        Console.Error.WriteLine();
        return pw.ToString();
    }

    /// <summary>A visible prompt (Ansible's display.prompt without private): the answer line, or null at end of input.</summary>
    public static string? ReadLine(string prompt)
    {
        Console.Error.Write(prompt);
        Console.Error.Flush();
        return Console.In.ReadLine();
    }
}
