# Shared settings of the booted-Debian lab (sourced by up.sh and down.sh in this folder).
# Reuses the SSH lab's bridge and /24 (../lab.conf.sh); nspawn hosts take .100-.199.
# NSPAWN_HOSTS: how many booted hosts (default 1: one host serves most tests; boot is about 1 s each).
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lab.conf.sh"
NS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NS_STATE=${NSPAWN_STATE:-$NS_DIR/.state}
NS_HOSTS=${NSPAWN_HOSTS:-1}
NS_ROOTFS=${NSPAWN_ROOTFS:-/var/lib/runner-lab/rootfs}
NS_RUN=${NSPAWN_RUN:-/var/lib/runner-lab/hosts}
NS_REPO_PORT=${NSPAWN_REPO_PORT:-8070}
ns_name() { echo "rdeb$1"; }
ns_ip()   { echo "$LAB_NET.$((100 + $1))"; }
