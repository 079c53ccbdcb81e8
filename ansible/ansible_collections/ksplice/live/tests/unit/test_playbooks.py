# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# The rollout and rollback playbooks, run by ansible-playbook against
# three fake hosts on this machine (local connection; each host's Python
# is a wrapper that points the fake ksplice tools at that host's own
# state file).  The flow is checked here offline; the real thing runs
# in two Debian guests (testsuite/tests/fleet-ansible.sh).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys

import pytest

from ansible_collections.ksplice.live.tests.unit.conftest import (
    COLLECTION, FAKE, ROOT, make_package)

PLAYBOOKS = os.path.join(COLLECTION, 'playbooks')
HOSTS = ('h1', 'h2', 'h3')

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason='the playbooks chown to root')


class Fleet(object):
    def __init__(self, tmp):
        self.tmp = tmp
        lines = []
        for h in HOSTS:
            wrapper = tmp / ('python-' + h)
            wrapper.write_text(
                '#!/bin/sh\nexport FAKE_KSPLICE_STATE=%s PATH=%s:$PATH\n'
                'export FAKE_KSPLICE_PYTHON=%s\nexec %s "$@"\n' %
                (self.state_path(h), FAKE, sys.executable, sys.executable))
            wrapper.chmod(0o755)
            self.set(h, {})
            lines.append('%s ansible_connection=local '
                         'ansible_python_interpreter=%s '
                         'ksplice_remote_dir=%s' %
                         (h, wrapper, tmp / ('pkg-' + h)))
        lines += ['', '[canary]', 'h1']
        (tmp / 'inventory').write_text('\n'.join(lines) + '\n')
        self.pkg = make_package(str(tmp / 'ksplice-kc-body.tar.gz'), 'kc-body')
        self.bad = make_package(str(tmp / 'ksplice-kc-bad.tar.gz'), 'kc-bad')

    def state_path(self, h):
        return str(self.tmp / ('state-' + h + '.json'))

    def set(self, h, state):
        with open(self.state_path(h), 'w') as f:
            json.dump(state, f)

    def update(self, h, **kv):
        s = self.state(h)
        s.update(kv)
        self.set(h, s)

    def state(self, h):
        with open(self.state_path(h)) as f:
            return json.load(f)

    def ids(self, h):
        return [u['id'] for u in self.state(h).get('updates', [])]

    def applies(self, h):
        return [c for c in self.state(h).get('calls', [])
                if c[0] == 'ksplice-apply' and '--dry-run' not in c]

    def play(self, name, cwd=None, **extra):
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=ROOT,
                   ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_NOCOLOR='1',
                   ANSIBLE_RETRY_FILES_ENABLED='False',
                   ANSIBLE_LOCALHOST_WARNING='False')
        extra.setdefault('ksplice_settle_seconds', 0)
        p = subprocess.run(['ansible-playbook', '-i',
                            str(self.tmp / 'inventory'),
                            os.path.join(PLAYBOOKS, name + '.yml'),
                            '-e', json.dumps(extra)],
                           env=dict(env, PWD=cwd) if cwd else env,
                           cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
        return p.returncode, p.stdout


def fake_update(uid, stage):
    # as fake/fake_ksplice.py records an update
    return {'id': uid, 'description': 'fake ' + uid, 'stage': stage,
            'sequence': 1, 'tries': 1, 'functions': []}


def changed(out):
    return sum(int(n) for n in re.findall(r'changed=(\d+)', out))


@pytest.fixture
def fleet(tmp_path):
    return Fleet(tmp_path)


def test_rollout_good_then_no_change(fleet):
    # the package as the docs show it: -e ksplice_package=./ksplice-ID.tar.gz,
    # from the shell's directory, not from the collection's playbooks
    rc, out = fleet.play('rollout', cwd=str(fleet.tmp),
                         ksplice_package='./ksplice-kc-body.tar.gz')
    assert rc == 0, out
    for h in HOSTS:
        assert fleet.ids(h) == ['kc-body'], out
    assert 'rollout complete' in out
    for h in HOSTS:
        assert '"%s": "applied kc-body (new code)"' % h in out, out
    rc, out = fleet.play('rollout', ksplice_package=fleet.pkg)
    assert rc == 0, out
    assert changed(out) == 0, out
    assert 'was already applied' in out
    for h in HOSTS:
        assert len(fleet.applies(h)) == 1


def test_rollout_canary_health_fails(fleet):
    rc, out = fleet.play('rollout', ksplice_package=fleet.bad,
                         ksplice_health_command='! grep -q kc-bad '
                         '"$FAKE_KSPLICE_STATE"')
    assert rc != 0, out
    assert fleet.ids('h1') == [], out
    assert len(fleet.applies('h1')) == 1
    for h in ('h2', 'h3'):
        assert fleet.applies(h) == [] and fleet.ids(h) == []
    assert 'the canary failed on h1' in out
    assert 'FAILED, update taken out again (old code)' in out
    assert 'not touched: the rollout stopped first' in out


def test_rollout_refused_in_dry_run(fleet):
    fleet.update('h3', refuse={'kc-body': 'code of kc_body_calc does not match'})
    rc, out = fleet.play('rollout', ksplice_package=fleet.pkg)
    assert rc != 0, out
    assert 'h3: Dry run (every check of an apply, nothing changed): ' \
        'code of kc_body_calc does not match' in out
    for h in HOSTS:
        assert fleet.applies(h) == []
    # leave the refusers out instead
    rc, out = fleet.play('rollout', ksplice_package=fleet.pkg,
                         ksplice_stop_on_refusal=False)
    assert rc == 0, out
    assert fleet.ids('h1') == fleet.ids('h2') == ['kc-body']
    assert fleet.ids('h3') == []


def test_rollout_batch_failure_undoes_everywhere(fleet):
    fleet.update('h3', refuse_apply={'kc-body': 'thread busy in kc_body_calc'})
    rc, out = fleet.play('rollout', ksplice_package=fleet.pkg,
                         ksplice_serial=1)
    assert rc != 0, out
    for h in HOSTS:
        assert fleet.ids(h) == [], out
    assert len(fleet.applies('h2')) == 1
    assert 'taken out again because the rollout stopped' in out
    assert '1 of 1 hosts' in out


def test_rollout_tolerated_failure(fleet):
    fleet.update('h3', refuse_apply={'kc-body': 'thread busy in kc_body_calc'})
    rc, out = fleet.play('rollout', ksplice_package=fleet.pkg,
                         ksplice_serial=2, ksplice_max_fail_percentage=50)
    assert rc == 0, out
    assert fleet.ids('h1') == fleet.ids('h2') == ['kc-body']
    assert fleet.ids('h3') == []
    assert 'FAILED, not applied (old code)' in out


def test_rollback(fleet):
    # every host runs kc-body (a rollout is test_rollout_good_then_no_change)
    for h in HOSTS:
        fleet.update(h, updates=[fake_update('kc-body', 'applied')])
    fleet.update('h2', refuse_undo={'kc-body': 'undo of update kc-body '
                                    'refused: thread busy'})
    rc, out = fleet.play('rollback', ksplice_id='kc-body')
    assert rc != 0, out
    assert fleet.ids('h1') == fleet.ids('h3') == []
    assert fleet.ids('h2') == ['kc-body']
    assert 'undo of update kc-body refused: thread busy' in out
    assert 'rollback incomplete on h2' in out
    fleet.update('h2', refuse_undo={})
    rc, out = fleet.play('rollback', ksplice_id='all')
    assert rc == 0, out
    for h in HOSTS:
        assert fleet.ids(h) == []
    rc, out = fleet.play('rollback')
    assert rc != 0 and 'ksplice_id' in out
