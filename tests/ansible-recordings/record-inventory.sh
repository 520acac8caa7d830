#!/usr/bin/env bash
# Records real ansible-inventory / ansible --list-hosts outputs (ansible-core 2.14) for the test inventory in
# tests/ansible-recordings/inventory/src. Run from anywhere: ./tests/ansible-recordings/record-inventory.sh
# Needs: apt-get install -y ansible. Outputs go to tests/ansible-recordings/inventory/*.txt (stdout, then "rc: N").
set -u
here="$(cd "$(dirname "$0")/inventory" && pwd)"
cd "$here"
cfg="$(mktemp -d)/ansible.cfg"; : > "$cfg"
export PYTHONHASHSEED=0 ANSIBLE_CONFIG="$cfg" ANSIBLE_NOCOLOR=1 LC_ALL=C.UTF-8
rec() { # rec NAME CMD...
  local name="$1"; shift
  { "$@" 2>"$name.stderr.tmp"; echo "rc: $?"; } > "$name.txt"
  grep -o '\[WARNING\]: .*' "$name.stderr.tmp" | sed 's/^\[WARNING\]: //' > "$name.warnings.txt"
  grep -o 'ERROR! .*' "$name.stderr.tmp" >> "$name.warnings.txt"
  rm -f "$name.stderr.tmp"
  [ -s "$name.warnings.txt" ] || rm -f "$name.warnings.txt"
}
rec list ansible-inventory -i src --list
rec graph ansible-inventory -i src --graph
rec graph-web ansible-inventory -i src --graph web
rec host-loose1 ansible-inventory -i src --host loose1
rec host-backup ansible-inventory -i src --host backup
rec host-db2 ansible-inventory -i src --host db2
rec host-web01 ansible-inventory -i src --host web01
rec host-alpha ansible-inventory -i src --host alpha
rec host-many ansible-inventory -i src --host 'mon*'
rec list-export ansible-inventory -i src --list --export
# host patterns: one line per pattern, "PATTERN => host1 host2 ..."
: > patterns.txt
while IFS= read -r p; do
  hosts=$(ansible -i src "$p" --list-hosts 2>/dev/null | tail -n +2 | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')
  printf '%s => %s\n' "$p" "$hosts" >> patterns.txt
done <<'PATTERNS'
all
*
web
web_east
infra
ungrouped
web:!staging
web:&staging
web,db
db,web
db2,web01
web[0]
web[-1]
web[0:1]
web[1:]
web[0:0]
web[2:0]
web[10]
*1
east?
mon[13]
~(web|db)0?[23]
~east
web:db:!web_east
!staging
&web
web:!web0*
all:!ungrouped:&web
localhost
PATTERNS
