# Shared settings of the booted-Debian lab (sourced by up.sh and down.sh in this folder).
# Reuses the SSH lab's bridge and /24 (../lab.conf.sh); nspawn hosts take .100-.199: rdebN at .100+N (N <= 89),
# the bare hosts rbareN at .190+N.
# NSPAWN_HOSTS: how many booted hosts (default 1: one host serves most tests; boot is about 1 s each).
# NSPAWN_BARE_HOSTS: how many bare booted hosts (default 1): the same root file system without python3, curl and
# wget, as minimal images come (inventory group `bare`).
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lab.conf.sh"
NS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS_STATE=${NSPAWN_STATE:-$NS_DIR/.state}
NS_HOSTS=${NSPAWN_HOSTS:-1}
NS_ROOTFS=${NSPAWN_ROOTFS:-/var/lib/runner-lab/rootfs}
NS_RUN=${NSPAWN_RUN:-/var/lib/runner-lab/hosts}
NS_BARE=${NSPAWN_BARE_HOSTS:-1}
NS_REPO_PORT=${NSPAWN_REPO_PORT:-8070}
ns_name() { echo "rdeb$1"; }
ns_ip()   { echo "$LAB_NET.$((100 + $1))"; }
ns_bare_name() { echo "rbare$1"; }
ns_bare_ip()   { echo "$LAB_NET.$((190 + $1))"; }
