#!/bin/bash
# The Ansible collection ksplice.live (ansible/) offline, as its own
# ansible/run-tests runs it: the modules against fake ksplice tools, the
# rollout and rollback playbooks against three fake hosts on this
# machine, and ansible-test sanity.  No guest: it runs beside other
# tests, and fleet-ansible takes the same collection to three full
# Debian guests.
. "$(dirname "$0")/../lib.sh"
need_cmd ansible-playbook

rc=0
"$REPO/ansible/run-tests" || rc=$?
[[ $rc != 3 ]] || skip "a tool the collection's checks need is missing (scripts/install-deps)"
[[ $rc == 0 ]] || fail "the collection's unit tests or sanity checks fail (exit $rc)"
log "the collection's unit tests and sanity checks pass"
