#!/bin/bash
# Records, for one target, what `ansible -m setup` reports and what Runner's facts probe prints, at the same
# moment, so tests/Runner.Tests/Facts/RecordedFactsTests.cs can compare Runner's parse of the probe with Ansible.
# Usage: record-facts.sh NAME [INVENTORY HOST]   (default: localhost with the local connection)
# Output: facts/NAME/ansible-setup.json (ansible_facts) and facts/NAME/probe.txt (raw probe output).
# RECORD_FACTS_DIR=DIR writes DIR/NAME/ instead (the live parity test, tests/Runner.Tests/Facts/FactParityLabTests.cs,
# records into a temp folder); RECORD_FACTS_KEEP_ENV=1 keeps ansible_env (dropped by default: it is the recording
# session's, and Runner's tests compare it only live).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
name=${1:?usage: record-facts.sh NAME [INVENTORY HOST]}
inv=${2:-}; host=${3:-localhost}
out="${RECORD_FACTS_DIR:-$here/facts}/$name"; mkdir -p "$out"
script=$(sed -n '/^    public const string Text = """$/,/^"""/p' "$repo/engine/Runner.Engine/Facts/FactsScript.cs" | sed '1d;$d')
if [ -z "$inv" ]; then
  ansible localhost -c local -m setup > "$out/raw.json" 2>/dev/null
  sh -c "$script" > "$out/probe.txt"
else
  ansible -i "$inv" "$host" -m setup > "$out/raw.json" 2>/dev/null
  key=$(awk '/ansible_ssh_private_key_file:/{print $2}' "$inv")
  kh=$(awk -F'UserKnownHostsFile=' '/UserKnownHostsFile=/{print $2}' "$inv" | tr -d '"')
  addr=$(awk -v h="    $host:" '$0==h{getline; print $2}' "$inv")
  ssh -i "$key" -o UserKnownHostsFile="$kh" -o StrictHostKeyChecking=yes "root@$addr" "sh -c $(printf '%q' "$script")" > "$out/probe.txt"
fi
python3 - "$out/raw.json" "$out/ansible-setup.json" "$host" <<'PY'
import json, sys
text = open(sys.argv[1]).read()  # "HOST | SUCCESS => {...}"
facts = json.loads(text[text.index("{"):])["ansible_facts"]
json.dump(facts, open(sys.argv[2], "w"), indent=1, sort_keys=True)
PY
rm -f "$out/raw.json"
# the environment is the recording machine's, not needed by the comparison: drop it from both files
[ "${RECORD_FACTS_KEEP_ENV:-}" = 1 ] && { echo "recorded $out"; exit 0; }
python3 - "$out/ansible-setup.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1])); f.pop("ansible_env", None)
json.dump(f, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
sed -i 's/^env_b64=.*/env_b64=/' "$out/probe.txt"
echo "recorded $out"
