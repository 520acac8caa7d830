using System.Text.RegularExpressions;
using Runner.Tests.Seed;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>
/// tempfile, find, assemble and fetch in one playbook, run by ansible-playbook on the booted host rdeb1 and by Runner there
/// and on the bare host (no python3, curl, wget), each from
/// the same clean state (the lab folder removed between): the same ok/changed sequence per task on two runs (tempfile
/// is changed every time, as Ansible's), the same reported values (find's matched/examined/paths in os.walk order,
/// assemble's checksum, fetch's dest) and the same end state read over ssh and on the controller (the fetched files); then --check with another fragment reports the same with
/// both tools (tempfile, assemble and fetch skipped: they refuse check mode) and changes nothing. The expected sequence is
/// ansible-playbook's own, taken live in the test.
/// </summary>
[Collection("nspawn")]
public sealed class MoreModulesLabTests : IDisposable
{
    private const string Dir = "/tmp/mods-c-lab";

    private const string Playbook = """
        - hosts: HOST
          gather_facts: false
          vars:
            d: /tmp/mods-c-lab
            b: "beta"
          tasks:
            - name: mods-c folder
              ansible.builtin.file: {path: "{{ d }}/frags/sub", state: directory}
            - name: mods-c fragments
              ansible.builtin.copy: {dest: "{{ d }}/frags/{{ item.n }}", content: "{{ item.c }}"}
              loop: [{n: 10-a, c: "alpha\n"}, {n: 20-b, c: "{{ b }}"}, {n: .30-h, c: "hidden\n"}, {n: sub/40-s, c: "deep\n"}]
            - name: mods-c tempfile
              ansible.builtin.tempfile: {path: "{{ d }}", prefix: mods-c., suffix: .tmp}
              register: tf
            - name: mods-c tempdir
              ansible.builtin.tempfile: {path: "{{ d }}", prefix: mods-c., state: directory}
              register: td
            - name: mods-c find
              ansible.builtin.find: {paths: "{{ d }}", recurse: true, excludes: 'mods-c.*', file_type: any, get_checksum: true}
              register: fd
            - name: mods-c find hidden text
              ansible.builtin.find: {paths: ["{{ d }}/frags", "{{ d }}/none"], hidden: true, contains: '^hid', depth: 1, recurse: true}
              register: fh
            - name: mods-c assemble
              ansible.builtin.assemble: {src: "{{ d }}/frags", dest: "{{ d }}/out", delimiter: '# --', ignore_hidden: true, mode: "0640", backup: true, validate: 'grep -q alpha %s'}
              register: asm
            - name: mods-c assemble from the controller
              ansible.builtin.assemble: {src: frags, dest: "{{ d }}/out2", remote_src: false, regexp: '^[0-9]'}
            - name: mods-c fetch
              ansible.builtin.fetch: {src: "{{ d }}/out", dest: fetched}
              register: fe
            - name: mods-c fetch flat
              ansible.builtin.fetch: {src: "{{ d }}/out2", dest: fetched/flat/, flat: true}
            - name: mods-c fetch missing
              ansible.builtin.fetch: {src: "{{ d }}/none", dest: fetched, fail_on_missing: false}
              register: fm
            - name: mods-c report
              ansible.builtin.debug:
                msg: "REPORT {{ tf.path | default('-') | basename | regex_replace('[^.]{8}[.]tmp$', 'X') }}|{{ td.mode | default('-') }}|{{ fd.matched }}|{{ fd.examined }}|{{ fd.files | map(attribute='path') | join(',') }}|{{ fd.files | map(attribute='checksum', default='') | join(',') }}|{{ fh.matched }}|{{ fh.msg }}|{{ fh.skipped_paths | list }}|{{ asm.checksum | default('-') }}|{{ asm.msg | default('-') }}|{{ fe.dest | default('-') | replace(playbook_dir, 'PB') }}|{{ fe.checksum | default('-') }}|{{ fm.msg | default('-') }}"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("mods-c-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>Every path under the lab folder on <paramref name="host"/> (random tempfile names as X) with its mode, and the files' text.</summary>
    private static string State((string Name, Runner.Engine.Values.Dict Vars) host) => SeedLab.Ssh(host,
        $"cd {Dir} && find . | while read -r f; do printf '%s %s\\n' \"$(stat -c %a \"$f\")\" \"$f\" | sed -E 's/mods-c\\.[^./]{{8}}(\\.tmp)?$/mods-c.X\\1/'; done | sort; " +
        "for f in out out2 frags/10-a frags/20-b; do echo \"== $f\"; cat $f; echo; done");

    private static List<string> Reports(string transcript) =>
        Regex.Matches(transcript, "REPORT [^\"\\n]*").Select(m => m.Value).ToList();

    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public void Same_sequence_and_state_as_ansible_playbook_then_check_mode_changes_nothing(string kind)
    {
        Assert.True(SeedLab.HasAnsible(), "ansible-playbook is not installed");
        var target = Target(kind);
        var pb = Path.Combine(_dir, "play.yml");
        File.WriteAllText(pb, Playbook.Replace("HOST", "all"));
        Directory.CreateDirectory(Path.Combine(_dir, "frags"));
        File.WriteAllText(Path.Combine(_dir, "frags", "1-one"), "one\n");
        File.WriteAllText(Path.Combine(_dir, "frags", "2-two"), "two");
        File.WriteAllText(Path.Combine(_dir, "frags", "skipped"), "not matched\n");
        (int Rc, string Out) Ansible(params string[] extra) => SeedLab.Ansible(_dir, PlaybookParity.Args(Host.Name, pb, extra));
        (int Rc, string Out) Runner(params string[] extra) =>
            PlaybookParity.As(SeedLab.Runner(_dir, PlaybookParity.Args(target.Name, pb, extra)), target.Name, Host.Name);
        var fetched = Path.Combine(_dir, "fetched");
        void Reset()
        {
            foreach (var h in new[] { Host, target }.DistinctBy(h => h.Name)) SeedLab.Ssh(h, $"rm -rf {Dir}");
            if (Directory.Exists(fetched)) Directory.Delete(fetched, true);
        }
        // fetch files under fetched/<host name>/: the runner's host is named as ansible's, as in the transcripts
        string Fetched() => string.Join("\n", Directory.GetFiles(fetched, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(_dir, f).Replace($"fetched/{target.Name}/", $"fetched/{Host.Name}/") + ": " + File.ReadAllText(f)));
        try
        {
            Reset();
            var ansible = new[] { Ansible(), Ansible() };
            var ansibleState = State(Host);
            var ansibleFetched = Fetched();
            var ansibleCheck = Ansible("--check", "-e", "b=gamma");
            Assert.Equal(ansibleState, State(Host));
            Reset();
            var runner = new[] { Runner(), Runner() };
            foreach (var (rc, output) in ansible.Concat(runner).Append(ansibleCheck)) Assert.True(rc == 0, output);
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(SeedLab.Sequence(ansible[i].Out), SeedLab.Sequence(runner[i].Out));
                Assert.Equal(Reports(ansible[i].Out), Reports(runner[i].Out));
            }
            Assert.Contains("changed=8 ", runner[0].Out);
            Assert.Contains("changed=2 ", runner[1].Out); // the two tempfiles, made anew each run
            Assert.Single(Reports(runner[0].Out));

            var state = State(target);
            Assert.Equal(ansibleState, state);
            Assert.Equal(ansibleFetched, Fetched());
            Assert.Contains($"fetched/{Host.Name}/tmp/mods-c-lab/out: alpha\n", Fetched());
            Assert.True(Directory.Exists(Path.Combine(fetched, target.Name)), "fetch writes under the host's own name");
            Assert.Contains("fetched/flat/out2: one\ntwo", Fetched());
            Assert.Contains("640 ./out\n", state);
            Assert.Contains("== out\nalpha\n# --\nbeta\n== out2\n", state); // sub/ is a folder, not a fragment
            Assert.Contains("== out2\none\ntwo\n", state);

            var check = Runner("--check", "-e", "b=gamma");
            Assert.True(check.Rc == 0, check.Out);
            Assert.Equal(SeedLab.Sequence(ansibleCheck.Out), SeedLab.Sequence(check.Out));
            Assert.Equal(Reports(ansibleCheck.Out), Reports(check.Out));
            Assert.Contains("skipped=", check.Out);
            Assert.Equal(state, State(target));
            Assert.Equal(ansibleFetched, Fetched());
        }
        finally
        {
            Reset();
            Assert.Equal("gone", SeedLab.Ssh(target, $"[ -e {Dir} ] || echo gone"));
        }
    }
}
