# Functions of bench/run.sh (sourced). Each writes nothing outside $WORK except the lab's own state.

# Installs ansible-playbook and GNU time from Debian when missing.
install_tools() {
  local need=()
  command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible)
  [ -x /usr/bin/time ] || need+=(time)
  if [ ${#need[@]} -gt 0 ]; then
    echo "bench: installing ${need[*]} from Debian" >&2
    apt-get update -o DPkg::Lock::Timeout=300 >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 "${need[@]}" >&2
  fi
}

# publish_if_stale BIN PUBLISH_ARGS...: publishes Runner into BIN's folder when BIN is missing or older than any source file.
publish_if_stale() {
  local bin=$1; shift
  if [ -x "$bin" ] && [ -z "$(find "$ROOT/engine" "$ROOT/modules" -name '*.cs' -newer "$bin" -print -quit)" ]; then return; fi
  echo "bench: publishing Runner ($*) to $(dirname "$bin")" >&2
  dotnet publish "$ROOT/engine/Runner.Cli" -c Release -r linux-x64 "$@" -o "$(dirname "$bin")" >&2
}

# The single-file ReadyToRun binary (RUNNER_BIN).
publish_runner() { publish_if_stale "$RUNNER_BIN" --self-contained -p:PublishSingleFile=true -p:PublishReadyToRun=true; }

# The Native AOT binary (RUNNER_AOT_BIN).
publish_runner_aot() { publish_if_stale "$RUNNER_AOT_BIN" -p:PublishAot=true; }

# write_inventory LAB_STATE N NET PREFIX OUT: the bench inventory for the lab's first N hosts (each with its own base_dir).
write_inventory() {
  local state=$1 n=$2 net=$3 prefix=$4 out=$5 i
  {
    echo "# Written by bench/run.sh for the lab in $state"
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $state/client_ed25519"
    echo "    ansible_ssh_common_args: \"-o UserKnownHostsFile=$state/known_hosts${BENCH_SSH_ARGS:+ $BENCH_SSH_ARGS}\""
    echo "    ansible_python_interpreter: /usr/bin/python3"
    echo "    base_dir: \"$WORK/hosts/{{ inventory_hostname }}\""
    echo "  hosts:"
    for i in $(seq 1 "$n"); do
      echo "    $prefix$i:"
      echo "      ansible_host: $net.$((10 + i))"
    done
  } > "$out"
}

# write_ansible_cfg OUT FORKS: Ansible's settings for the baseline (pipelining, ControlPersist, as shared/bench/README.md).
write_ansible_cfg() {
  cat > "$1" <<CFG
[defaults]
forks = $2
host_key_checking = True
retry_files_enabled = False
interpreter_python = /usr/bin/python3
[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s
CFG
}

# runner_bin TOOL: the binary of a Runner build: runner (RUNNER_BIN), runner-aot (RUNNER_AOT_BIN, the Native AOT
# binary, published by publish_runner_aot), runner-base (RUNNER_BASE_BIN, any other build, e.g. an older commit's, to compare side by side).
runner_bin() {
  case $1 in
    runner) echo "$RUNNER_BIN" ;;
    runner-aot) echo "$RUNNER_AOT_BIN" ;;
    runner-base) echo "${RUNNER_BASE_BIN:?runner-base needs RUNNER_BASE_BIN}" ;;
    *) echo "bench: unknown tool $1" >&2; exit 1 ;;
  esac
}

# startup_times TOOLS REPS OUT: each Runner build's start-up, median of REPS: `runner --version` and a one-task
# play on localhost (connection local, no facts); appends "tool what median min max" lines to OUT.
startup_times() {
  local tool bin what i play=$WORK/startup.yml
  printf -- '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    - debug: msg=up\n' > "$play"
  for tool in $1; do
    [ "$tool" = ansible ] && continue
    bin=$(runner_bin "$tool")
    for what in version play; do
      for i in $(seq 1 "$2"); do
        if [ "$what" = version ]; then /usr/bin/time -f '%e' -o "$WORK/time.out" "$bin" --version >/dev/null 2>&1
        else /usr/bin/time -f '%e' -o "$WORK/time.out" "$bin" play -i localhost, "$play" >/dev/null 2>&1; fi
        tail -n 1 "$WORK/time.out"
      done | python3 -c 'import sys,statistics; v=[float(l) for l in sys.stdin]; print(sys.argv[1], sys.argv[2], f"{statistics.median(v):.3f}", f"{min(v):.3f}", f"{max(v):.3f}", sep="\t")' "$tool" "$what" >> "$3"
    done
  done
}

# startup_report TSV: the start-up table.
startup_report() {
  echo "| Runner build | command | median | range |"
  echo "|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %.0f ms | %.0f–%.0f ms |\n", $1, ($2 == "version" ? "runner --version" : "one-task local play"), $3*1000, $4*1000, $5*1000}' "$1"
}

# limit_for N PREFIX: the -l pattern for the first N hosts.
limit_for() { local i s=; for i in $(seq 1 "$1"); do s+="${s:+,}$2$i"; done; echo "$s"; }

# bench_series TOOL N LIMIT REP INVENTORY FORKS: from empty base_dirs, the first run, the idempotent run and the
# --check --diff run; appends "tool hosts kind rep seconds maxrss_kb changed" lines to $WORK/results.tsv.
bench_series() {
  local tool=$1 n=$2 limit=$3 rep=$4 inv=$5 forks=$6 kind
  rm -rf "$WORK/hosts"
  for kind in first idempotent check; do
    run_one "$tool" "$n" "$limit" "$rep" "$inv" "$forks" "$kind"
  done
}

run_one() {
  local tool=$1 n=$2 limit=$3 rep=$4 inv=$5 forks=$6 kind=$7
  local log=$WORK/log.$tool.$n.$kind.$rep tf=$WORK/time.out extra=() cp rc s
  [ "$kind" = check ] && extra=(--check --diff)
  cp=$(mktemp -d "$WORK/cp.XXXXXX")   # fresh ControlPersist sockets: every run starts with cold connections
  set +e
  if [ "$tool" = ansible ]; then
    (cd "$PLAYDIR" && ANSIBLE_CONFIG=$WORK/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$cp ANSIBLE_NOCOLOR=1 \
      /usr/bin/time -f '%e %M' -o "$tf" ansible-playbook -i "$inv" bench50.yml -l "$limit" -f "$forks" "${extra[@]}") > "$log" 2>&1
  else
    (cd "$PLAYDIR" && NO_COLOR=1 /usr/bin/time -f '%e %M' -o "$tf" "$(runner_bin "$tool")" play -i "$inv" bench50.yml -l "$limit" -f "$forks" "${extra[@]}") > "$log" 2>&1
  fi
  rc=$?
  set -e
  for s in "$cp"/*; do [ -S "$s" ] && ssh -o ControlPath="$s" -O exit bench >/dev/null 2>&1; done
  rm -rf "$cp"
  local changed failed
  changed=$(grep -oE 'changed=[0-9]+' "$log" | tail -n "$n" | awk -F= '{s+=$2} END {print s+0}')
  failed=$(grep -oE '(failed|unreachable)=[0-9]+' "$log" | tail -n "$((2 * n))" | awk -F= '{s+=$2} END {print s+0}')
  if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
    echo "bench: $tool $n hosts $kind run $rep failed (rc=$rc); see $log" >&2; tail -n 20 "$log" >&2; exit 1
  fi
  read -r secs rss < <(tail -n 1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$kind" "$rep" "$secs" "$rss" "$changed" >> "$WORK/results.tsv"
  printf 'bench: %-7s %3s hosts %-10s run %s: %6.2f s, %6d MB peak, changed=%s\n' "$tool" "$n" "$kind" "$rep" "$secs" "$((rss / 1024))" "$changed" >&2
}

# report TSV: the Markdown table (medians of the repetitions; ratio = Ansible / Runner; Runner's largest peak RSS).
report() {
  python3 - "$1" <<'PY'
import sys, statistics, collections
LABELS = {"first": "first run", "idempotent": "idempotent", "check": "--check --diff"}
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
t = collections.defaultdict(list); rss = collections.defaultdict(list); ch = {}
for tool, n, kind, rep, secs, kb, changed in rows:
    t[(tool, int(n), kind)].append(float(secs)); rss[(tool, int(n), kind)].append(int(kb))
    ch[(tool, int(n), kind)] = changed
def cell(k):
    v = t.get(k)
    return (f"{statistics.median(v):.2f} s", f"{min(v):.2f}–{max(v):.2f}") if v else ("—", "")
print("| hosts | run | runs | Runner (median) | Runner range | ansible-playbook (median) | Ansible range | ratio | Runner peak RSS | changed (Runner / Ansible) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for n in sorted({k[1] for k in t}):
    for kind in ("first", "idempotent", "check"):
        r, a = ("runner", n, kind), ("ansible", n, kind)
        if r not in t and a not in t: continue
        rm, rr = cell(r); am, ar = cell(a)
        ratio = f"{statistics.median(t[a]) / statistics.median(t[r]):.1f}×" if r in t and a in t else "—"
        mem = f"{max(rss[r]) / 1024:.0f} MB" if r in rss else "—"
        label = LABELS[kind]
        runs = max(len(t.get(r, [])), len(t.get(a, [])))
        print(f"| {n} | {label} | {runs} | {rm} | {rr} | {am} | {ar} | {ratio} | {mem} | {ch.get(r, '—')} / {ch.get(a, '—')} |")
others = sorted({k[0] for k in t} - {"runner", "ansible"})
if others:
    print()
    print("Other Runner builds, same hosts, runs interleaved with the rows above (ratio = that build's median / runner's):")
    print()
    print("| hosts | run | build | runs | median | range | ratio to runner | peak RSS | changed |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sorted({k[1] for k in t}):
        for kind in ("first", "idempotent", "check"):
            for o in others:
                k, r = (o, n, kind), ("runner", n, kind)
                if k not in t: continue
                m, rg = cell(k)
                ratio = f"{statistics.median(t[k]) / statistics.median(t[r]):.2f}" if r in t else "—"
                print(f"| {n} | {LABELS[kind]} | {o} | {len(t[k])} | {m} | {rg} | {ratio} | {max(rss[k]) / 1024:.0f} MB | {ch.get(k)} |")
PY
}

# write_results TABLE OUT: RESULTS.md with the machine, the date and the versions.
write_results() {
  {
    echo "# Benchmark results (bench/run.sh)"
    echo
    echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Runner commit: $(git -C "$ROOT" rev-parse --short HEAD)."
    echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)."
    echo "Load average when written (other jobs share this machine): $(cut -d' ' -f1-3 /proc/loadavg)."
    [ -n "${BENCH_SSH_ARGS:-}" ] && echo "Extra ssh options for both tools (BENCH_SSH_ARGS): \`$BENCH_SSH_ARGS\`."
    echo
    echo '```'
    free -h
    echo '```'
    echo
    echo "ansible-playbook: $(ansible-playbook --version 2>/dev/null | sed -n 1p), pipelining on, ControlPersist=60s, cold connections each run."
    echo "Runner: the published single-file ReadyToRun binary. Each cell is the median of the row's runs; the ratio is"
    echo "Ansible's median / Runner's median. Hosts are the SSH lab's network namespaces (own sshd each); forks = hosts."
    echo "Times are wall clock including process start (/usr/bin/time); peak RSS is its \"Maximum resident set size\"."
    echo
    cat "$1"
  } > "$2"
}
