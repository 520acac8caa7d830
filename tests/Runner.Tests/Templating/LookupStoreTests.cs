using System.Net;
using System.Net.Sockets;
using Runner.Engine.Templating;

namespace Runner.Tests.Templating;

/// <summary>
/// The lookups whose recorded case cannot show everything: password generating and storing a new password
/// (ansible-core's password lookup: folder created, file 0600, the same password on the next call), and url over
/// HTTP from a listener on 127.0.0.1 served by the test (body split into lines, HTTP errors worded as Ansible's).
/// </summary>
public sealed class LookupStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-lookup-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private object? Render(string template) =>
        new Templar().Template(template, new DictionaryScope(new Dictionary<string, object?> { ["playbook_dir"] = _dir }, new[] { _dir }));

    [Fact]
    public void Password_is_generated_stored_and_reused()
    {
        var first = (string)Render("{{ lookup('password', 'creds/app length=16 chars=ascii_letters,digits') }}")!;
        Assert.Matches("^[A-Za-z0-9]{16}$", first);
        var file = Path.Combine(_dir, "creds", "app");
        Assert.Equal(first + "\n", File.ReadAllText(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(first, Render("{{ lookup('password', 'creds/app length=16') }}"));
    }

    [Fact]
    public void Password_encrypt_adds_a_salt_to_the_store()
    {
        var hash = (string)Render("{{ lookup('password', 'pw encrypt=sha512_crypt') }}")!;
        var stored = File.ReadAllText(Path.Combine(_dir, "pw")).TrimEnd();
        Assert.Matches("^[^ ]{20} salt=[A-Za-z0-9./]{16}$", stored);
        Assert.StartsWith("$6$" + stored[(stored.IndexOf("salt=") + 5)..] + "$", hash);
    }

    [Fact]
    public async Task Url_gets_lines_over_http_and_words_http_errors_as_ansible()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var ctx = await listener.GetContextAsync();
                var found = ctx.Request.Url!.AbsolutePath == "/doc";
                ctx.Response.StatusCode = found ? 200 : 404;
                if (found) await ctx.Response.OutputStream.WriteAsync("one\ntwo\n"u8.ToArray());
                ctx.Response.Close();
            }
        });
        Assert.Equal(new List<object?> { "one", "two" }, Render($"{{{{ query('url', 'http://127.0.0.1:{port}/doc') }}}}"));
        var e = Assert.Throws<TemplateError>(() => Render($"{{{{ lookup('url', 'http://127.0.0.1:{port}/nope') }}}}"));
        Assert.Contains($"Received HTTP error for http://127.0.0.1:{port}/nope : HTTP Error 404: Not Found", e.Message);
        await serving;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
