using Runner.Engine.Modules;

namespace Runner.Modules;

/// <summary>The ansible.builtin modules Runner implements, ready for the engine and CLI.</summary>
public static class BuiltinModules
{
    /// <summary>
    /// A registry with command, shell, raw, file, copy, template, lineinfile, blockinfile, stat, debug,
    /// set_fact, assert, fail, include_vars, wait_for, ping, setup, group, user, apt, package, systemd,
    /// service, get_url, unarchive, uri, script, cron, certbot, pip, timezone (community.general), service_facts, replace, ini_file
    /// (community.general), sysctl (ansible.posix), hostname, getent, slurp, tempfile, find, assemble, fetch,
    /// authorized_key (ansible.posix), known_hosts, pam_limits (community.general), alternatives (community.general),
    /// dpkg_selections, debconf, git, iptables, package_facts, locale_gen, modprobe, mount (ansible.posix), ufw, synchronize, iam_openid_connect_provider, iam_role,
    /// reboot, wait_for_connection, aws_caller_info, cloudflare_dns, k8s, k8s_info, tls_certificate, pause and the rest registered below (FQCN forms resolve through ModuleRegistry).
    /// </summary>
    public static ModuleRegistry CreateRegistry() => new ModuleRegistry()
        .Add(new CommandModule())
        .Add(new CommandModule(useShell: true))
        .Add(new RawModule())
        .Add(new FileModule())
        .Add(new CopyModule())
        .Add(new TemplateModule())
        .Add(new LineInFileModule())
        .Add(new BlockInFileModule())
        .Add(new ReplaceModule())
        .Add(new IniFileModule())
        .Add(new SlurpModule())
        .Add(new TempfileModule())
        .Add(new FindModule())
        .Add(new AssembleModule())
        .Add(new FetchModule())
        .Add(new StatModule())
        .Add(new DebugModule())
        .Add(new SetFactModule())
        .Add(new AssertModule())
        .Add(new ValidateArgumentSpecModule())
        .Add(new FailModule())
        .Add(new IncludeVarsModule())
        .Add(new WaitForModule())
        .Add(new WaitForConnectionModule())
        .Add(new PingModule())
        .Add(new SetupModule(), "gather_facts")
        .Add(new Sys.GroupModule())
        .Add(new Sys.UserModule())
        .Add(new Sys.AptModule())
        .Add(new Sys.PackageModule())
        .Add(new Sys.SystemdModule())
        .Add(new Sys.SystemdModule("systemd_service"))
        .Add(new Sys.ServiceModule())
        .Add(new Sys.GetUrlModule())
        .Add(new Sys.UnarchiveModule())
        .Add(new Sys.UriModule())
        .Add(new ScriptModule())
        .Add(new Sys.CronModule())
        .Add(new Sys.CertbotModule())
        .Add(new Sys.PipModule())
        .Add(new Sys.TimezoneModule())
        .Add(new Sys.ServiceFactsModule())
        .Add(new Sys.SysctlModule())
        .Add(new Sys.HostnameModule())
        .Add(new Sys.GetentModule())
        .Add(new Sys.AuthorizedKeyModule())
        .Add(new Sys.KnownHostsModule())
        .Add(new Sys.PamLimitsModule())
        .Add(new Sys.AlternativesModule())
        .Add(new Sys.DpkgSelectionsModule())
        .Add(new Sys.DebconfModule())
        .Add(new Sys.GitModule())
        .Add(new Sys.IptablesModule())
        .Add(new Sys.PackageFactsModule())
        .Add(new Sys.LocaleGenModule())
        .Add(new Sys.ModprobeModule())
        .Add(new Sys.AptRepositoryModule())
        .Add(new Sys.AptKeyModule())
        .Add(new Sys.MountModule())
        .Add(new Sys.RebootModule())
        .Add(new Sys.UfwModule())
        .Add(new Sys.SynchronizeModule())
        .Add(new Cloud.Aws.IamOidcProviderModule())
        .Add(new Cloud.Aws.IamRoleModule())
        .Add(new Cloud.Aws.AwsCallerInfoModule())
        .Add(new Cloud.Cloudflare.CloudflareDnsModule())
        .Add(new Cloud.Kubernetes.K8sModule())
        .Add(new Cloud.Kubernetes.K8sInfoModule())
        .Add(new Cloud.Tls.TlsCertificateModule())
        .Add(new PauseModule())
        .Add(new AsyncStatusModule());
}
