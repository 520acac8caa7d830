#!/usr/bin/env bash
# Builds the galaxy test fixtures in DIR (offline, no Ansible needed): used by tests/ansible-recordings/record-galaxy.sh
# (against ansible-galaxy) and by Runner.Tests' GalaxyTests (against runner galaxy), so both see the same inputs.
#   DIR/src/myrole          a git repository: tag v1.0 prints "myrole v1", the branch main (one commit later) "myrole v2"
#   DIR/src/acme/tools      a collection source folder (galaxy.yml, roles/greet), also a git repository tagged 1.0.0
#   DIR/src/acme-tools-1.0.0.tar.gz   that collection as a built artifact (MANIFEST.json, FILES.json at the top)
#   DIR/src/tarrole.tar.gz  a role archive with one top folder (tarrole-1.0/)
#   DIR/requirements.yml    the role at tag v1.0 from git (file://) and the collection from the tar.gz
#   DIR/site.yml            a play using both: the role by name, the collection's role by FQCN (connection local)
#   DIR/short.yml           a play naming the collection role greet short, with the play keyword collections: [acme.tools]
#   DIR/old-form.yml        a requirements file in the old form (a list of roles)
set -eu
dir="$1"
mkdir -p "$dir/src"
cd "$dir/src"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.test GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.test
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
git_init() { git init -q -b main . && git add . && git -c commit.gpgsign=false commit -qm "$1"; }

mkdir -p myrole/tasks myrole/meta
printf -- "- debug:\n    msg: myrole v1\n" > myrole/tasks/main.yml
printf "galaxy_info:\n  author: test\n  description: a test role\ndependencies: []\n" > myrole/meta/main.yml
(cd myrole && git_init v1 && git tag v1.0 && printf -- "- debug:\n    msg: myrole v2\n" > tasks/main.yml && git -c commit.gpgsign=false commit -qam v2)

mkdir -p acme/tools/roles/greet/tasks acme/tools/meta acme/tools/docs
cat > acme/tools/galaxy.yml <<'YML'
namespace: acme
name: tools
version: 1.0.0
readme: README.md
authors:
  - Test <t@example.test>
description: a test collection
license:
  - GPL-3.0-or-later
YML
printf "# acme.tools\n" > acme/tools/README.md
printf "requires_ansible: '>=2.14.0'\n" > acme/tools/meta/runtime.yml
printf -- "- debug:\n    msg: greet from acme.tools\n" > acme/tools/roles/greet/tasks/main.yml
(cd acme/tools && git_init c1 && git tag 1.0.0)

art="$dir/artifact"
mkdir -p "$art"
(cd acme/tools && git archive HEAD | tar -x -C "$art")
rm -f "$art/galaxy.yml"
cat > "$art/MANIFEST.json" <<'JSON'
{
 "collection_info": {
  "namespace": "acme",
  "name": "tools",
  "version": "1.0.0",
  "authors": [
   "Test <t@example.test>"
  ],
  "readme": "README.md",
  "tags": [],
  "description": "a test collection",
  "license": [
   "GPL-3.0-or-later"
  ],
  "license_file": null,
  "dependencies": {},
  "repository": null,
  "documentation": null,
  "homepage": null,
  "issues": null
 },
 "file_manifest_file": {
  "name": "FILES.json",
  "ftype": "file",
  "chksum_type": "sha256",
  "chksum_sha256": null,
  "format": 1
 },
 "format": 1
}
JSON
# FILES.json as ansible-galaxy collection build writes it: ".", then every folder and file (sorted here) with its sha256
entry() { printf ' {\n  "name": "%s",\n  "ftype": "%s",\n  "chksum_type": %s,\n  "chksum_sha256": %s,\n  "format": 1\n }' "$1" "$2" "$3" "$4"; }
{
  printf '{\n "files": [\n'
  entry . dir null null
  (cd "$art" && find . -mindepth 1 ! -name MANIFEST.json ! -name FILES.json | sed 's,^\./,,' | LC_ALL=C sort) | while read -r p; do
    printf ',\n'
    if [ -d "$art/$p" ]; then entry "$p" dir null null
    else entry "$p" file '"sha256"' "\"$(sha256sum "$art/$p" | cut -d' ' -f1)\""; fi
  done
  printf '\n ],\n "format": 1\n}'
} > "$art/FILES.json"
tar -czf acme-tools-1.0.0.tar.gz -C "$art" --sort=name --owner=0 --group=0 --mtime=2026-01-01 MANIFEST.json FILES.json README.md meta roles
rm -rf "$art"

mkdir -p tarrole-1.0/tasks tarrole-1.0/meta
printf -- "- debug:\n    msg: tarrole\n" > tarrole-1.0/tasks/main.yml
printf "galaxy_info:\n  author: test\ndependencies: []\n" > tarrole-1.0/meta/main.yml
tar -czf tarrole.tar.gz --sort=name --owner=0 --group=0 --mtime=2026-01-01 tarrole-1.0
rm -rf tarrole-1.0

cd "$dir"
cat > requirements.yml <<YML
roles:
  - src: git+file://$dir/src/myrole
    version: v1.0
    name: myrole
collections:
  - name: $dir/src/acme-tools-1.0.0.tar.gz
    type: file
YML
cat > site.yml <<'YML'
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - myrole
    - acme.tools.greet
  tasks:
    - include_role:
        name: acme.tools.greet
YML
: > ansible.cfg
cat > old-form.yml <<YML
- src: git+file://$dir/src/myrole
  version: main
  name: myrole_main
- $dir/src/tarrole.tar.gz,1.0,tarrole2
YML
cat > short.yml <<'YML'
- hosts: localhost
  connection: local
  gather_facts: false
  collections: [acme.tools]
  roles: [greet]
  tasks:
    - import_role:
        name: greet
    - include_role:
        name: greet
YML
