# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# ksplice_update against the fake tools: apply, dry run, check mode,
# install, undo of one and of all, idempotence, and refusals reported
# with the tool's reason and exit status.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ksplice.live.tests.unit.conftest import make_package


def test_apply_then_no_change(host, pkg):
    r = host.run('ksplice_update', path=pkg)
    assert r['changed'] is True, r
    assert r['id'] == 'kc-body'
    assert r['stage'] == 'applied'
    assert r['apply']['ok'] is True and r['exit'] == 0
    assert r['update']['id'] == 'kc-body'
    assert host.ids() == ['kc-body']
    r = host.run('ksplice_update', path=pkg)
    assert r['changed'] is False, r
    assert 'already applied' in r['msg']
    # the second run did not call ksplice-apply at all
    assert len(host.calls('ksplice-apply')) == 1


def test_tries_passed(host, pkg):
    host.run('ksplice_update', path=pkg, tries=7)
    assert '--tries=7' in host.calls('ksplice-apply')[0]
    r = host.run('ksplice_update', path=pkg, tries=0)
    assert r['failed'] and '1..1000' in r['msg']


def test_refusal_reports_reason(host, pkg):
    host.set({'refuse': {'kc-body': 'thread kworker/0:1 is busy in kc_body_calc'}})
    r = host.run('ksplice_update', path=pkg)
    assert r['failed'] is True
    assert r['msg'] == 'thread kworker/0:1 is busy in kc_body_calc'
    assert r['exit'] == 1 and r['refused'] is True
    assert host.ids() == []


def test_dry_run_changes_nothing(host, pkg):
    r = host.run('ksplice_update', path=pkg, dry_run=True)
    assert r['changed'] is False and not r.get('failed'), r
    assert '--dry-run' in host.calls('ksplice-apply')[0]
    assert host.ids() == []
    host.set({'refuse': {'kc-body': 'code does not match'}})
    r = host.run('ksplice_update', path=pkg, dry_run=True)
    assert r['failed'] and r['msg'] == 'code does not match'


def test_dry_run_of_applied_update_is_fine(host, pkg):
    host.run('ksplice_update', path=pkg)
    r = host.run('ksplice_update', path=pkg, dry_run=True)
    assert not r.get('failed') and r['stage'] == 'applied', r
    assert len(host.calls('ksplice-apply')) == 1


def test_check_mode_dry_runs(host, pkg):
    r = host.run('ksplice_update', path=pkg, check_mode=True)
    assert r['changed'] is True, r
    assert host.ids() == []
    assert '--dry-run' in host.calls('ksplice-apply')[0]


def test_id_must_match_package(host, pkg):
    r = host.run('ksplice_update', path=pkg, id='other')
    assert r['failed'] and 'holds update kc-body, not other' in r['msg']


def test_not_a_package(host, tmp_path):
    bad = tmp_path / 'x.tar.gz'
    bad.write_bytes(b'not a tar')
    r = host.run('ksplice_update', path=str(bad))
    assert r['failed'] and 'cannot read the package' in r['msg']


def test_loaded_not_applied_is_refused(host, pkg):
    host.set({'updates': [{'id': 'kc-body', 'stage': 'reversed'}]})
    r = host.run('ksplice_update', path=pkg)
    assert r['failed'] and 'ksplice-undo kc-body first' in r['msg']


def test_absent(host, pkg):
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['changed'] is False and 'neither loaded nor installed' in r['msg']
    assert host.calls('ksplice-undo') == []
    host.run('ksplice_update', path=pkg)
    r = host.run('ksplice_update', state='absent', id='kc-body',
                 check_mode=True)
    assert r['changed'] is True and host.ids() == ['kc-body']
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['changed'] is True and r['undone'] == ['kc-body'], r
    assert r['stage'] is None and host.ids() == []
    r = host.run('ksplice_update', state='absent', path=pkg)
    assert r['changed'] is False


def test_absent_all(host, tmp_path):
    for uid in ('a', 'b'):
        host.run('ksplice_update',
                 path=make_package(str(tmp_path / (uid + '.tar.gz')), uid))
    r = host.run('ksplice_update', state='absent', all=True)
    assert r['changed'] is True and r['undone'] == ['b', 'a'], r
    assert '--all' in host.calls('ksplice-undo')[0]
    r = host.run('ksplice_update', state='absent', all=True)
    assert r['changed'] is False


def test_undo_refused(host, pkg):
    host.run('ksplice_update', path=pkg)
    st = host.state()
    st['refuse_undo'] = {'kc-body': 'undo of update kc-body refused: busy'}
    host.set(st)
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['failed'] and r['exit'] == 1 and 'busy' in r['msg'], r
    assert host.ids() == ['kc-body']


def test_installed(host, pkg):
    r = host.run('ksplice_update', path=pkg, state='installed')
    assert r['failed'] and 'no --install' in r['msg'], r
    host.set({'install_option': True})
    r = host.run('ksplice_update', path=pkg, state='installed')
    assert r['changed'] is True, r
    assert '--install' in host.calls('ksplice-apply')[-1]
    r = host.run('ksplice_update', path=pkg, state='installed')
    assert r['changed'] is False and 'installed' in r['msg'], r


def test_bad_combinations(host, pkg):
    r = host.run('ksplice_update', state='applied', all=True, path=pkg)
    assert r['failed'] and 'state=absent' in r['msg']
    r = host.run('ksplice_update', state='absent')
    assert r['failed'] and 'needs id' in r['msg']
    r = host.run('ksplice_update', state='applied')
    assert r['failed'] and 'path' in r['msg']


def test_absent_uninstalls_stored_update(host, pkg):
    host.set({'install_option': True})
    host.run('ksplice_update', path=pkg, state='installed')
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['changed'] is True and r['undone'] == ['kc-body'], r
    assert host.state()['installed'] == []
    # stored, not loaded (a boot with ksplice=off): still taken out
    st = host.state()
    st['installed'] = ['kc-body']
    host.set(st)
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['changed'] is True and r['undone'] == ['kc-body'], r
    assert host.state()['installed'] == [] and host.ids() == []
    r = host.run('ksplice_update', state='absent', id='kc-body')
    assert r['changed'] is False and 'neither loaded nor installed' in r['msg']
