#!/bin/sh
# Writes the two module name lists embedded in Runner.Engine from the ansible installed here (Debian 12: ansible-core
# 2.14 and the ansible 7 package's collections), so they can be checked and renewed rather than edited by hand:
#   ansible-builtin-modules.txt     ansible/modules/NAME.py (the deprecated _include.py as include; async_wrapper is
#                                   Ansible's internal helper, not a task's module)
#   ansible-collection-modules.txt  ansible_collections/NS/COLL/plugins/modules/NAME.py as NS.COLL.NAME
# Usage: engine/Runner.Engine/Modules/list-ansible-modules.sh [PYTHON_DIST_PACKAGES]   (default /usr/lib/python3/dist-packages)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
site=${1:-/usr/lib/python3/dist-packages}
[ -d "$site/ansible/modules" ] && [ -d "$site/ansible_collections" ] || { echo "no ansible under $site (apt-get install ansible)" >&2; exit 2; }
(cd "$site/ansible/modules" && for f in *.py; do n=${f%.py}; case $n in __init__|async_wrapper) ;; *) echo "${n#_}";; esac; done) |
  LC_ALL=C sort -u > "$here/ansible-builtin-modules.txt"
(cd "$site/ansible_collections" && for f in */*/plugins/modules/*.py; do
   n=${f##*/}; n=${n%.py}; case $n in _*) continue;; esac
   ns=${f%%/*}; rest=${f#*/}; echo "$ns.${rest%%/*}.$n"; done) | LC_ALL=C sort -u > "$here/ansible-collection-modules.txt"
wc -l "$here/ansible-builtin-modules.txt" "$here/ansible-collection-modules.txt"
