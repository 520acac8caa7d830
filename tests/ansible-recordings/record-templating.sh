#!/bin/sh
# Records ansible-core 2.14's results for templating-playbook.yml into templating-recorded.json
# (JSON callback). The values asserted by tests/Runner.Tests/Templating/*.cs come from this file.
cd "$(dirname "$0")"
ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
  RUNNER_LOOKUP_ENV=from-env ansible-playbook -i localhost, -c local templating-playbook.yml > templating-recorded.json
ansible --version | sed -n 1p >> templating-recorded.json
