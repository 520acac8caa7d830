#!/usr/bin/env bash
# Filter (stdin to stdout) for a run-roles.sh end-state file before tests/roles/run.sh compares Runner's with
# ansible-playbook's. It masks only what differs between any two installs of the same packages, whichever tool ran:
# - the "## iptables rules" heading: run-roles.sh prints it even with no rules; recordings made before it
#   printed that section lack it (the rules themselves, if any, are still compared);
# - the bodies of ssl-cert-snakeoil.pem and .key: ssl-cert's postinst makes a new random key and certificate (also
#   the copy postfix's start script puts in its chroot, /var/spool/postfix/etc/ssl/certs);
# - the bodies of postfix's /var/lib/postfix/master.lock and /var/spool/postfix/pid/master.pid: its master's process id;
# - md5 of files whose bytes hold install times or random data: redis's dump.rdb (written at shutdown),
#   fail2ban's sqlite database, Java's cacerts keystore (ca-certificates-java stamps creation dates), postfix's
#   /etc/aliases.db (newaliases writes a Berkeley DB whose metadata page holds a file id made of the time and a random part),
#   samba's /var/lib/samba/private/secrets.tdb (smbd's first start stores a newly drawn random machine SID there).
set -euo pipefail
awk '
  /^## iptables rules/ { next }
  /^[^ ]/ { masking = ($1 ~ /^(\/var\/spool\/postfix)?\/etc\/ssl\/(certs\/ssl-cert-snakeoil\.pem|private\/ssl-cert-snakeoil\.key)$/ || $1 ~ /^\/var\/(lib\/postfix\/master\.lock|spool\/postfix\/pid\/master\.pid)$/) }
  masking && /^  \| / { next }
  $1 ~ /^(\/var\/lib\/redis\/dump\.rdb|\/var\/lib\/fail2ban\/fail2ban\.sqlite3|\/etc\/ssl\/certs\/java\/cacerts|\/etc\/aliases\.db|\/var\/lib\/samba\/private\/secrets\.tdb)$/ { sub(/ md5=[0-9a-f]+/, " md5=RANDOM") }
  { print }
'
