using System.Diagnostics;
using Runner.Cli;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules;
using Runner.Modules.Docs;

namespace Runner.Tests.Cli;

/// <summary>ansible-doc -j is on the PATH: the comparison with Ansible's documentation can run.</summary>
public sealed class AnsibleDocFactAttribute : FactAttribute
{
    public AnsibleDocFactAttribute()
    {
        if (DocCommandTests.AnsibleDoc is null) Skip = "ansible-doc is not installed (apt-get install ansible)";
    }
}

/// <summary>
/// `runner doc`: every module is documented and its documentation cannot drift from its spec; the spec agrees with
/// ansible-doc 2.14 (run live) on option names and aliases, required, choices and defaults, except where listed
/// below with the reason; `runner doc copy`, `--list`, `-j` and an unknown module behave as ansible-doc does.
/// </summary>
public sealed class DocCommandTests
{
    /// <summary>The ansible-doc program, or null when it is not installed.</summary>
    public static readonly string? AnsibleDoc = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "ansible-doc")).FirstOrDefault(File.Exists);

    private static readonly ModuleRegistry Registry = BuiltinModules.CreateRegistry();

    private static IEnumerable<IModule> Modules => Registry.Modules.Select(m => m.Module);

    private static readonly string DocsDir = Path.Combine(Runner.Tests.Inventory.TestPaths.RepoRoot, "modules", "Runner.Modules", "Docs");

    [Fact]
    public void Every_module_is_documented_and_no_doc_names_an_option_its_spec_lacks()
    {
        var problems = new List<string>();
        foreach (var module in Modules)
        {
            var doc = ModuleDocs.For(module.Name);
            if (doc is null) { problems.Add($"{module.Name}: no Docs/{module.Name}.yml"); continue; }
            if (doc.ShortDescription.Length == 0 || doc.Description.Count == 0) problems.Add($"{module.Name}: no short_description or description");
            var documented = DocJson.Options(module.Spec, doc);
            foreach (var (name, entry) in documented)
                if (((List<object?>)((Dict)entry!)["description"]!).Count == 0) problems.Add($"{module.Name}: option {name} has no description");
            var file = Path.Combine(DocsDir, module.Name + ".yml");
            if (File.Exists(file) && YamlLoader.LoadFile(file) is Dict raw && raw.GetValueOrDefault("options") is Dict own)
                foreach (var name in own.Keys)
                    if (!documented.ContainsKey(name)) problems.Add($"{module.Name}: Docs/{module.Name}.yml documents {name}, which the spec does not have");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Modules ansible-doc cannot compare, and why.</summary>
    private static readonly Dictionary<string, string> NotInAnsible = new()
    {
        ["certbot"] = "Runner's own module",
        ["tls_certificate"] = "Runner's own module",
        ["iam_openid_connect_provider"] = "amazon.aws added it after the collection versions installed with ansible 2.14 here",
    };

    private const string NotImplemented = "not implemented: Runner refuses the option as unknown";
    private const string Unconverted = "Runner takes the value as templated, as the action plugin does (no conversion)";
    private const string IncludeVarsChecks = "the action checks its own options as ansible-core's include_vars action does (it has no argument spec): values reach it unconverted";
    private const string ModuleDefault = "the module applies this default itself when the option is absent";
    private const string OsDefault = "the action picks the default by the target's system when the option is absent (Ansible's table)";

    /// <summary>The differences from ansible-doc that are known and justified (key: "module: difference").</summary>
    private static readonly Dictionary<string, string> Exceptions = new()
    {
        ["apt: missing allow_change_held_packages"] = NotImplemented,
        ["apt: missing clean"] = NotImplemented,
        ["apt: upgrade.default ansible='no' runner=None"] = ModuleDefault,
        ["assert: that.type ansible='list' runner='raw'"] = "a single condition may be given as a string; Runner makes the list",
        ["assert: fail_msg.type ansible='str' runner='raw'"] = Unconverted,
        ["assert: success_msg.type ansible='str' runner='raw'"] = Unconverted,
        ["aws_caller_info: missing aws_ca_bundle"] = NotImplemented,
        ["aws_caller_info: missing aws_config"] = NotImplemented,
        ["aws_caller_info: missing debug_botocore_endpoint_logs"] = "botocore-specific: Runner uses the AWS SDK for .NET",
        ["aws_caller_info: session_token.aliases ansible=['access_token', 'aws_security_token', 'aws_session_token', 'security_token', 'session_token'] runner=['aws_session_token', 'security_token', 'session_token']"] = NotImplemented + " (the access_token and aws_security_token aliases)",
        ["blockinfile: insertafter.choices ansible=['*regex*', 'EOF'] runner=None"] = "not a real choice list: any regular expression is accepted besides EOF",
        ["blockinfile: insertafter.default ansible='EOF' runner=None"] = ModuleDefault,
        ["blockinfile: insertbefore.choices ansible=['*regex*', 'BOF'] runner=None"] = "not a real choice list: any regular expression is accepted besides BOF",
        ["lineinfile: insertafter.choices ansible=['*regex*', 'EOF'] runner=None"] = "not a real choice list: any regular expression is accepted besides EOF",
        ["lineinfile: insertafter.default ansible='EOF' runner=None"] = ModuleDefault,
        ["lineinfile: insertbefore.choices ansible=['*regex*', 'BOF'] runner=None"] = "not a real choice list: any regular expression is accepted besides BOF",
        ["lineinfile: missing others"] = "a documentation-only placeholder for the file options (Ansible's argument spec has no 'others')",
        ["replace: missing others"] = "a documentation-only placeholder for the file options (Ansible's argument spec has no 'others')",
        ["cloudflare_dns: type.choices ansible=['A', 'AAAA', 'CNAME', 'DS', 'MX', 'NS', 'SPF', 'SRV', 'SSHFP', 'TLSA', 'TXT'] runner=['A', 'AAAA', 'CNAME', 'MX', 'TXT']"] = "Runner implements the record types the seed project uses",
        ["cloudflare_dns: missing algorithm"] = NotImplemented + " (DS/SSHFP/TLSA/SRV record fields)",
        ["cloudflare_dns: missing cert_usage"] = NotImplemented + " (TLSA)",
        ["cloudflare_dns: missing hash_type"] = NotImplemented + " (DS/SSHFP)",
        ["cloudflare_dns: missing key_tag"] = NotImplemented + " (DS)",
        ["cloudflare_dns: missing port"] = NotImplemented + " (SRV)",
        ["cloudflare_dns: missing proto"] = NotImplemented + " (SRV)",
        ["cloudflare_dns: missing selector"] = NotImplemented + " (TLSA)",
        ["cloudflare_dns: missing service"] = NotImplemented + " (SRV)",
        ["cloudflare_dns: missing weight"] = NotImplemented + " (SRV)",
        ["command: extra executable"] = "in ansible.builtin.command's argument spec, undocumented (ignored with a warning)",
        ["copy: content.type ansible='str' runner='raw'"] = "a mapping or list given as content is written as JSON, as the copy action plugin does",
        ["debug: msg.default ansible='Hello world!' runner=None"] = ModuleDefault + " (a spec default would clash with var)",
        ["debug: msg.type ansible='str' runner='raw'"] = Unconverted,
        ["debug: var.type ansible='str' runner='raw'"] = Unconverted,
        ["fail: msg.type ansible='str' runner='raw'"] = Unconverted,
        ["fetch: dest.required ansible=True runner=False"] = "the fetch action checks src and dest itself, with Ansible's messages",
        ["fetch: src.required ansible=True runner=False"] = "the fetch action checks src and dest itself, with Ansible's messages",
        ["get_url: missing ciphers"] = NotImplemented,
        ["get_url: missing client_cert"] = NotImplemented,
        ["get_url: missing client_key"] = NotImplemented,
        ["get_url: missing unredirected_headers"] = NotImplemented,
        ["get_url: missing use_gssapi"] = NotImplemented,
        ["get_url: missing use_netrc"] = NotImplemented,
        ["get_url: force.aliases ansible=['force'] runner=['force', 'thirsty']"] = "thirsty is an older alias of force that Runner still accepts; ansible-doc 2.14 does not document it",
        ["getent: key.default ansible='' runner=None"] = ModuleDefault,
        ["group: extra force"] = "added to ansible.builtin.group in ansible-core 2.15",
        ["iam_role: assume_role_policy_document.type ansible='json' runner='raw'"] = "JSON text or a mapping; Runner has no json option type and parses it itself",
        ["iam_role: missing aws_ca_bundle"] = NotImplemented,
        ["iam_role: missing aws_config"] = NotImplemented,
        ["iam_role: missing boundary"] = NotImplemented,
        ["iam_role: missing create_instance_profile"] = NotImplemented,
        ["iam_role: missing debug_botocore_endpoint_logs"] = "botocore-specific: Runner uses the AWS SDK for .NET",
        ["iam_role: missing delete_instance_profile"] = NotImplemented,
        ["iam_role: missing wait"] = NotImplemented,
        ["iam_role: missing wait_timeout"] = NotImplemented,
        ["iam_role: name.aliases ansible=['name'] runner=['name', 'role_name']"] = "the alias amazon.aws's later iam_role has",
        ["iam_role: path.aliases ansible=['path'] runner=['path', 'path_prefix', 'prefix']"] = "the aliases amazon.aws's later iam_role has",
        ["iam_role: session_token.aliases ansible=['access_token', 'aws_security_token', 'aws_session_token', 'security_token', 'session_token'] runner=['aws_session_token', 'security_token', 'session_token']"] = NotImplemented + " (the access_token and aws_security_token aliases)",
        ["include_vars: extensions.default ansible=['json', 'yaml', 'yml'] runner=None"] = ModuleDefault,
        ["git: dest.required ansible=True runner=False"] = "git.py's argument_spec does not require it (clone=no works without it); only its documentation does",
        ["include_vars: depth.default ansible=0 runner=None"] = ModuleDefault,
        ["include_vars: ignore_unknown_extensions.default ansible=False runner=None"] = ModuleDefault,
        ["include_vars: hash_behaviour.choices ansible=['merge', 'replace'] runner=None"] = IncludeVarsChecks,
        ["include_vars: depth.type ansible='int' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: dir.type ansible='path' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: extensions.type ansible='list' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: file.type ansible='path' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: files_matching.type ansible='str' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: hash_behaviour.type ansible='str' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: ignore_files.type ansible='list' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: ignore_unknown_extensions.type ansible='bool' runner='raw'"] = IncludeVarsChecks,
        ["include_vars: name.type ansible='str' runner='raw'"] = IncludeVarsChecks,
        ["iptables: destination_ports.default ansible=None runner=[]"] = "the same: no ports (an empty list is what iptables.py uses when the option is absent)",
        ["package_facts: manager.choices ansible=['apk', 'apt', 'auto', 'pacman', 'pkg', 'pkg_info', 'portage', 'rpm'] runner=None"] = "Runner reads apt (dpkg) only and refuses the other managers with package_facts' own message",
        ["reboot: boot_time_command.default ansible='cat /proc/sys/kernel/random/boot_id' runner=None"] = OsDefault,
        ["reboot: reboot_command.default ansible='[determined based on target OS]' runner=None"] = OsDefault,
        ["reboot: test_command.default ansible='whoami' runner=None"] = OsDefault,
        ["pause: minutes.type ansible='str' runner='raw'"] = Unconverted,
        ["pause: seconds.type ansible='str' runner='raw'"] = Unconverted,
        ["uri: headers.default ansible=None runner={}"] = "the same: no extra headers",
        ["include_vars: missing free-form"] = "a documentation-only name for the task's free-form text (the file), which Runner documents under file",
        ["k8s: missing append_hash"] = NotImplemented,
        ["k8s: missing ca_cert"] = NotImplemented,
        ["k8s: missing client_cert"] = NotImplemented,
        ["k8s: missing client_key"] = NotImplemented,
        ["k8s: missing continue_on_error"] = NotImplemented,
        ["k8s: missing generate_name"] = NotImplemented,
        ["k8s: missing impersonate_groups"] = NotImplemented,
        ["k8s: missing impersonate_user"] = NotImplemented,
        ["k8s: missing label_selectors"] = NotImplemented,
        ["k8s: missing merge_type"] = NotImplemented,
        ["k8s: missing no_proxy"] = NotImplemented,
        ["k8s: missing password"] = NotImplemented,
        ["k8s: missing persist_config"] = NotImplemented,
        ["k8s: missing proxy"] = NotImplemented,
        ["k8s: missing proxy_headers"] = NotImplemented,
        ["k8s: missing server_side_apply"] = NotImplemented,
        ["k8s: missing username"] = NotImplemented,
        ["k8s: missing validate"] = NotImplemented,
        ["k8s: resource_definition.type ansible='str' runner='raw'"] = "a mapping, a list or YAML text, as kubernetes.core takes it (its doc says str)",
        ["k8s: extra log_lines"] = "Runner's own: how many log lines of a failed Job the failure shows",
        ["k8s: resource_definition.aliases ansible=['definition', 'inline', 'resource_definition'] runner=['definition', 'resource_definition']"] = NotImplemented + " (the inline alias)",
        ["k8s_info: missing ca_cert"] = NotImplemented,
        ["k8s_info: missing client_cert"] = NotImplemented,
        ["k8s_info: missing client_key"] = NotImplemented,
        ["k8s_info: missing impersonate_groups"] = NotImplemented,
        ["k8s_info: missing impersonate_user"] = NotImplemented,
        ["k8s_info: missing no_proxy"] = NotImplemented,
        ["k8s_info: missing password"] = NotImplemented,
        ["k8s_info: missing persist_config"] = NotImplemented,
        ["k8s_info: missing proxy"] = NotImplemented,
        ["k8s_info: missing proxy_headers"] = NotImplemented,
        ["k8s_info: missing username"] = NotImplemented,
        ["k8s_info: missing wait"] = NotImplemented,
        ["k8s_info: missing wait_condition"] = NotImplemented,
        ["k8s_info: missing wait_sleep"] = NotImplemented,
        ["k8s_info: missing wait_timeout"] = NotImplemented,
        ["package: name.type ansible='str' runner='list'"] = "a list of names, as package passes name on to the manager module (apt takes a list)",
        ["pip: missing chdir"] = NotImplemented,
        ["pip: missing editable"] = NotImplemented,
        ["pip: missing requirements"] = NotImplemented,
        ["pip: missing umask"] = NotImplemented,
        ["pip: missing version"] = NotImplemented,
        ["pip: missing virtualenv_command"] = NotImplemented,
        ["pip: missing virtualenv_python"] = NotImplemented,
        ["pip: missing virtualenv_site_packages"] = NotImplemented,
        ["pip: executable.type ansible='path' runner='str'"] = "a program name (pip3) is looked up on the target's PATH; a path is used as given",
        ["pip: name.required ansible=False runner=True"] = "without requirements (not implemented) name is needed",
        ["raw: free_form.required ansible=True runner=False"] = "a gap: Runner's raw runs an empty command line when none is given, where Ansible's fails",
        ["replace: replace.default ansible=None runner=''"] = "an empty replacement removes the matches, as replace does for a missing one",
        ["service: arguments.default ansible=None runner=''"] = "the same as an absent value: no arguments",
        ["set_fact: missing key_value"] = "documentation-only name of set_fact's free keys (its spec accepts any key)",
        ["shell: extra argv"] = "shell shares command's spec in Runner",
        ["shell: extra strip_empty_ends"] = "shell shares command's spec in Runner (the option works for both)",
        ["shell: executable.type ansible='path' runner='str'"] = "shell shares command's spec in Runner",
        ["stat: extra get_md5"] = "an older stat option Runner still accepts; ansible-doc 2.14 does not document it",
        ["template: block_end_string.default ansible='%}' runner=None"] = ModuleDefault,
        ["template: block_start_string.default ansible='{%' runner=None"] = ModuleDefault,
        ["template: variable_end_string.default ansible='}}' runner=None"] = ModuleDefault,
        ["template: variable_start_string.default ansible='{{' runner=None"] = ModuleDefault,
        ["template: extra directory_mode"] = "the template action hands its options to copy, which takes directory_mode",
        ["template: newline_sequence.choices ansible=['\\\\n', '\\\\r', '\\\\r\\\\n'] runner=['\\n', '\\r', '\\r\\n', '\\\\n', '\\\\r', '\\\\r\\\\n']"] = "both the escaped spellings (as documented) and the characters themselves (as YAML double quotes give them) are accepted",
        ["template: newline_sequence.default ansible='\\\\n' runner='\\n'"] = "the same newline, as the character rather than its escape",
        ["unarchive: copy.default ansible=True runner=None"] = ModuleDefault + " (absent, remote_src decides)",
        ["unarchive: extra_opts.default ansible='' runner=[]"] = "the same: no extra options (Ansible documents a list option's default as '')",
        ["user: missing authorization"] = NotImplemented + " (Solaris)",
        ["user: missing generate_ssh_key"] = NotImplemented,
        ["user: missing hidden"] = NotImplemented + " (macOS)",
        ["user: missing login_class"] = NotImplemented + " (BSD)",
        ["user: missing profile"] = NotImplemented + " (Solaris)",
        ["user: missing role"] = NotImplemented + " (Solaris)",
        ["user: missing seuser"] = NotImplemented + " (SELinux)",
        ["user: missing ssh_key_bits"] = NotImplemented,
        ["user: missing ssh_key_comment"] = NotImplemented,
        ["user: missing ssh_key_file"] = NotImplemented,
        ["user: missing ssh_key_passphrase"] = NotImplemented,
        ["user: missing ssh_key_type"] = NotImplemented,
        ["validate_argument_spec: argument_spec.type ansible='str' runner='dict'"] = "ansible-doc gives no type; the action refuses anything but a dict",
        ["validate_argument_spec: provided_arguments.type ansible='str' runner='dict'"] = "ansible-doc gives no type; the action refuses anything but a dict",
        ["validate_argument_spec: extra validate_args_context"] = "undocumented: the role loader passes it and the action returns it",
        ["wait_for: active_connection_states.default ansible=['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'] runner=None"] = ModuleDefault,
    };

    /// <summary>Runs ansible-doc with these arguments: its stdout.</summary>
    private static string RunAnsibleDoc(params string[] args)
    {
        var psi = new ProcessStartInfo(AnsibleDoc!) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), "ansible-doc did not finish");
        Assert.True(p.ExitCode == 0, $"ansible-doc {string.Join(' ', args)}: exit {p.ExitCode}: {e.Result}");
        return o.Result;
    }

    private static string Py(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => "'" + s.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\r", "\\r") + "'",
        List<object?> l => "[" + string.Join(", ", l.Select(Py)) + "]",
        _ => PyStr.Str(v),
    };

    /// <summary>A default as the spec means it: documented yes/no of a bool are booleans, a scalar of a list is a list of one.</summary>
    private static object? NormalDefault(object? v, string type) => (v, type) switch
    {
        (string s, "bool") when s.ToLowerInvariant() is "yes" or "true" => true,
        (string s, "bool") when s.ToLowerInvariant() is "no" or "false" => false,
        (string s, "list") when s.Length > 0 => new List<object?> { s },
        (long or int or double, "str") => PyStr.Str(v),
        _ => v,
    };

    private static List<object?>? Sorted(object? v) =>
        v is List<object?> l ? l.Select(x => PyStr.Str(x)).OrderBy(x => x, StringComparer.Ordinal).Cast<object?>().ToList() : null;

    /// <summary>The differences between Ansible's and Runner's options of one module, as "module: ..." lines.
    /// Options are matched by name or alias; names and aliases, required, choices (as sets), defaults and types compared.</summary>
    private static IEnumerable<string> Differences(string module, Dict ansible, Dict runner)
    {
        Dict Names(Dict options)
        {
            var d = new Dict();
            foreach (var (k, v) in options)
            {
                var e = (Dict)v!;
                var all = new List<object?> { k };
                if (e.GetValueOrDefault("aliases") is List<object?> al) all.AddRange(al);
                e["_names"] = Sorted(all);
                d[k] = e;
            }
            return d;
        }
        var a = Names(ansible);
        var r = Names(runner);
        string? Match(string name, Dict e, Dict other) =>
            other.ContainsKey(name) ? name
            : other.FirstOrDefault(kv => ((List<object?>)((Dict)kv.Value!)["_names"]!).Contains(name)
                || ((List<object?>)e["_names"]!).Contains(kv.Key)).Key;
        var matched = new HashSet<string>();
        foreach (var (name, av) in a)
        {
            var ae = (Dict)av!;
            if (Match(name, ae, r) is not { } rn) { yield return $"{module}: missing {name}"; continue; }
            matched.Add(rn);
            var re = (Dict)r[rn]!;
            var at = PyStr.Str(ae.GetValueOrDefault("type") ?? "str");
            var rt = PyStr.Str(re.GetValueOrDefault("type") ?? "str");
            if (!Equals(Py(ae["_names"]), Py(re["_names"]))) yield return $"{module}: {name}.aliases ansible={Py(ae["_names"])} runner={Py(re["_names"])}";
            var areq = ae.GetValueOrDefault("required") is true;
            var rreq = re.GetValueOrDefault("required") is true;
            if (areq != rreq) yield return $"{module}: {name}.required ansible={Py(areq)} runner={Py(rreq)}";
            var ac = Sorted(ae.GetValueOrDefault("choices"));
            var rc = Sorted(re.GetValueOrDefault("choices"));
            if (Py(ac) != Py(rc)) yield return $"{module}: {name}.choices ansible={Py(ac)} runner={Py(rc)}";
            var ad = NormalDefault(ae.GetValueOrDefault("default"), at);
            var rd = re.GetValueOrDefault("default");
            if (Py(ad) != Py(rd)) yield return $"{module}: {name}.default ansible={Py(ad)} runner={Py(rd)}";
            if (at != rt) yield return $"{module}: {name}.type ansible={Py(at)} runner={Py(rt)}";
        }
        foreach (var name in r.Keys.Where(k => !matched.Contains(k)))
            yield return $"{module}: extra {name}";
    }

    [AnsibleDocFact]
    public void Every_spec_agrees_with_ansible_doc_except_the_listed_differences()
    {
        var compared = new List<(string Module, string Fqcn)>();
        foreach (var module in Modules)
        {
            if (NotInAnsible.ContainsKey(module.Name)) continue;
            var doc = ModuleDocs.For(module.Name);
            Assert.True(doc is not null, $"{module.Name} has no documentation");
            compared.Add((module.Name, doc!.Fqcn));
        }
        var ansible = (Dict)ParseJson(RunAnsibleDoc(new[] { "-j" }.Concat(compared.Select(c => c.Fqcn)).ToArray()))!;
        var found = new List<string>();
        foreach (var (name, fqcn) in compared)
        {
            Assert.True(ansible.ContainsKey(fqcn), $"ansible-doc does not know {fqcn}: list it in NotInAnsible with the reason, or fix its collection in Docs/{name}.yml");
            var theirs = ((Dict)((Dict)ansible[fqcn]!)["doc"]!).GetValueOrDefault("options") as Dict ?? new Dict();
            var ours = DocJson.Options(Registry.Find(name)!.Spec, ModuleDocs.For(name));
            found.AddRange(Differences(name, theirs, ours));
        }
        var unexpected = found.Where(f => !Exceptions.ContainsKey(f)).ToList();
        var stale = Exceptions.Keys.Where(k => !found.Contains(k)).ToList();
        Assert.True(unexpected.Count == 0 && stale.Count == 0,
            "differences from ansible-doc not listed in Exceptions:\n  " + string.Join("\n  ", unexpected)
            + "\nlisted exceptions no longer seen:\n  " + string.Join("\n  ", stale));

        // the modules listed as unknown to ansible-doc still are (else they should be compared)
        var others = (Dict)ParseJson(RunAnsibleDoc(new[] { "-j" }
            .Concat(NotInAnsible.Keys.Select(n => ModuleDocs.For(n)!.Fqcn)).ToArray()))!;
        Assert.Empty(others.Keys);
    }

    private static object? ParseJson(string text)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        return Data.FromJson(doc.RootElement);
    }

    private static (int Rc, string Out, string Err) Doc(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var rc = DocCommand.Run(args, output, error);
        return (rc, output.ToString(), error.ToString());
    }

    [Fact]
    public void Doc_copy_prints_the_page_as_ansible_doc_does()
    {
        var (rc, text, err) = Doc("copy");
        Assert.Equal(0, rc);
        Assert.Equal("", err);
        Assert.StartsWith("> ANSIBLE.BUILTIN.COPY    (Runner.Modules.CopyModule)\n\n        Puts a file or folder", text);
        Assert.Contains("\nOPTIONS (= is mandatory):\n\n- attributes\n", text);
        Assert.Contains("\n        aliases: [attr]\n        default: null\n        type: str\n\n- backup\n", text);
        Assert.Contains("\n= dest\n        Absolute path on the target", text);
        Assert.Matches(@"\n= dest\n(        [^\n]+\n)+        type: path\n\n- directory_mode\n", text);
        Assert.Contains("\n        default: true\n        type: bool\n", text); // force
        Assert.Contains("\nRETURN VALUES:\n", text);
        Assert.Contains("\n- mode\n        Permissions of the file, octal.\n        returned: success\n        sample: '0644'\n        type: str\n", text);
        Assert.DoesNotContain("_original_basename", text);
        foreach (var line in text.Split('\n')) Assert.True(line.Length <= 79, $"line longer than the width: {line}");
        // the same page by the fully qualified name
        Assert.Equal(text, Doc("ansible.builtin.copy").Out);
    }

    [AnsibleDocFact]
    public void Doc_copy_has_ansible_docs_option_lines_and_keys()
    {
        static List<string> Heads(string page) => page.Split('\n').SkipWhile(l => !l.StartsWith("OPTIONS")).TakeWhile(l => !l.StartsWith("ATTRIBUTES") && !l.StartsWith("NOTES") && !l.StartsWith("RETURN"))
            .Where(l => l.StartsWith("- ") || l.StartsWith("= ") || l.StartsWith("        aliases:") || l.StartsWith("        type:") || l.StartsWith("        default:")).ToList();
        var theirs = Heads(RunAnsibleDoc("copy"));
        var ours = Heads(Doc("copy").Out);
        // content: ansible documents str, Runner takes raw (see Exceptions); everything else line for line
        var i = theirs.IndexOf("- content");
        Assert.Equal("        type: str", theirs[i + 2]);
        theirs[i + 2] = "        type: raw";
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Doc_list_gives_every_module_once_with_its_short_description()
    {
        var (rc, text, _) = Doc("--list");
        Assert.Equal(0, rc);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(Modules.Count(), lines.Length);
        Assert.Contains(lines, l => l.StartsWith("ansible.builtin.copy ") && l.Contains(" Copy files to remote locations"));
        Assert.Contains(lines, l => l.StartsWith("community.general.ini_file "));
        Assert.Contains(lines, l => l.StartsWith("runner.certbot "));
        // "%-*s %-*.*s" as ansible-doc -l: one width for the names, descriptions cut with "..." to the 79 columns
        // (the name padded, a space, the description padded to 79 - 5 - the name width, "..." after a cut one)
        var width = lines.Max(l => l.IndexOf(' '));
        Assert.All(lines, l => Assert.True(l[width] == ' ' && l.Length == (l.EndsWith("...") ? 78 : 75), $"[{l}]"));
        Assert.Contains(lines, l => l.EndsWith("..."));
        Assert.Equal(Doc("-l").Out, text);
    }

    [Fact]
    public void Doc_json_has_ansible_docs_shape()
    {
        var (rc, text, _) = Doc("-j", "copy", "ini_file");
        Assert.Equal(0, rc);
        var d = (Dict)ParseJson(text)!;
        Assert.Equal(new[] { "copy", "ini_file" }, d.Keys.OrderBy(k => k));
        var copy = (Dict)d["copy"]!;
        Assert.Equal(new[] { "doc", "examples", "metadata", "return" }, copy.Keys.OrderBy(k => k));
        var doc = (Dict)copy["doc"]!;
        Assert.Equal("ansible.builtin", doc["collection"]);
        Assert.Equal("copy", doc["module"]);
        var dest = (Dict)((Dict)doc["options"]!)["dest"]!;
        Assert.Equal(true, dest["required"]);
        Assert.Equal("path", dest["type"]);
        Assert.IsType<List<object?>>(dest["description"]);
        var force = (Dict)((Dict)doc["options"]!)["force"]!;
        Assert.Equal(true, force["default"]);
        Assert.False(force.ContainsKey("required"));
        Assert.Equal("community.general", ((Dict)((Dict)d["ini_file"]!)["doc"]!)["collection"]);
        Assert.True(((Dict)copy["return"]!).ContainsKey("checksum"));
    }

    [Fact]
    public void An_unknown_module_warns_and_exits_0_as_ansible_doc_2_14_does()
    {
        var (rc, text, err) = Doc("no_such_mod");
        Assert.Equal(0, rc);
        Assert.Equal("", text);
        Assert.Equal("[WARNING]: no_such_mod was not found\n", err);
        var (rcj, json, errj) = Doc("-j", "no_such_mod");
        Assert.Equal(0, rcj);
        Assert.Equal("{}\n", json);
        Assert.Equal("[WARNING]: no_such_mod was not found\n", errj);
        var (rcn, _, errn) = Doc();
        Assert.Equal(5, rcn);
        Assert.Contains("Missing name(s)", errn);
        Assert.Equal(0, Doc("--help").Rc);
    }

    [Fact]
    public void The_built_cli_runs_doc()
    {
        var psi = new ProcessStartInfo(RunnerCli.File) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in RunnerCli.Prefix) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "doc", "copy", "no_such_mod" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(0, p.ExitCode);
        Assert.StartsWith("> ANSIBLE.BUILTIN.COPY", o.Result);
        Assert.Equal("[WARNING]: no_such_mod was not found\n", e.Result);
    }
}
