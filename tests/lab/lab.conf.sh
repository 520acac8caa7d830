# Shared settings of the SSH lab (sourced by up.sh and down.sh).
# LAB_HOSTS: number of network-namespace hosts (1..89), LAB_BRIDGE / LAB_NET: the lab's bridge and /24.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${LAB_STATE:-$LAB_DIR/.state}
LAB_HOSTS=${LAB_HOSTS:-3}
LAB_BRIDGE=${LAB_BRIDGE:-labbr0}
LAB_NET=${LAB_NET:-10.250.0}
LAB_PREFIX=${LAB_PREFIX:-rlab}
lab_ns()   { echo "${LAB_PREFIX}$1"; }
lab_ip()   { echo "$LAB_NET.$((10 + $1))"; }
lab_veth() { echo "${LAB_PREFIX}v$1"; }
