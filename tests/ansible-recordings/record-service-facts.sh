#!/bin/bash
# Records, for one booted systemd host, what `ansible -m service_facts` (ansible-core 2.14) reports and the raw
# output of the commands it parses, at the same moment, so tests/Runner.Tests/Modules/ServiceFactsParserTests.cs can
# check that Runner's parse of that output gives Ansible's facts.
# Usage: record-service-facts.sh NAME INVENTORY HOST   (e.g. rdeb7 tests/lab/nspawn/.state/inventory.yml rdeb7)
# Output under service-facts/NAME/: ansible-services.json (ansible_facts.services), list-units.txt,
# list-unit-files.txt, status-all.txt (`service --status-all`), show.txt ("UNIT<TAB>RC<TAB>STDOUT" of
# `systemctl show UNIT --property=ActiveState` for every unit file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: record-service-facts.sh NAME INVENTORY HOST}
inv=${2:?inventory}; host=${3:?host}
out="$here/service-facts/$name"; mkdir -p "$out"
export LC_ALL=C.UTF-8 ANSIBLE_HOST_KEY_CHECKING=0
# the shell module (no tty, so no colours): "HOST | CHANGED | rc=0 >>" then the output
rsh() { ansible -i "$inv" "$host" -m ansible.builtin.shell -a "$1" 2>/dev/null | sed '1d'; }
# the same locale as Ansible's get_best_parsable_locale on Debian (C.utf8)
rsh 'LC_ALL=C.utf8 LANG=C.utf8 systemctl list-units --no-pager --type service --all' > "$out/list-units.txt"
rsh 'LC_ALL=C.utf8 LANG=C.utf8 systemctl list-unit-files --no-pager --type service --all' > "$out/list-unit-files.txt"
rsh 'LC_ALL=C.utf8 LANG=C.utf8 service --status-all 2>/dev/null' > "$out/status-all.txt"
rsh 'for u in $(systemctl list-unit-files --no-pager --type service --all | awk "/\.service/{print \$1}"); do o=$(LC_ALL=C.utf8 systemctl show "$u" --property=ActiveState 2>/dev/null); printf "%s\t%s\t%s\n" "$u" "$?" "$o"; done' > "$out/show.txt"
ansible -i "$inv" "$host" -m ansible.builtin.service_facts > "$out/raw.json" 2>/dev/null
python3 - "$out/raw.json" "$out/ansible-services.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()  # "HOST | SUCCESS => {...}"
facts = json.loads(text[text.index("{"):])["ansible_facts"]["services"]
json.dump(facts, open(sys.argv[2], "w"), indent=1, sort_keys=True)  # the ad-hoc output has sorted keys already
PY
rm -f "$out/raw.json"
echo "recorded $out"
