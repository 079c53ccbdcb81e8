#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# ksplice_update: one update on one host brought to the state asked for
# (applied, installed for the next boots too, or absent), by running the
# host's own ksplice-apply / ksplice-undo and reporting their JSON.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ksplice_update
short_description: Apply, install or undo a ksplice live kernel update
description:
  - Brings one ksplice update on the host to the state asked for by running
    the host's C(ksplice-apply) and C(ksplice-undo) with C(--json).
  - Idempotent by update id, the id inside the package's manifest. An
    update already applied (or pending, waiting for its module to load) is
    left alone; an absent one is not undone again.
  - In check mode an apply is tried with C(ksplice-apply --dry-run), which
    runs every check of a real apply (the stack check included) and
    changes nothing, so a refusal shows before anything is touched.
version_added: "1.0.0"
author: ksplice developers (@ksplice)
options:
  state:
    description:
      - C(applied) applies the update now; C(installed) applies it and stores
        it for the next boots (C(ksplice-apply --install)); C(absent) undoes
        it (C(ksplice-undo)), which also removes it from the boot store.
    type: str
    choices: [applied, absent, installed]
    default: applied
  path:
    description:
      - The update package (C(ksplice-<id>.tar.gz)) on the host. It must be
        root's alone, as C(ksplice-apply) refuses a file others can write.
      - Required for I(state=applied) and I(state=installed). With
        I(state=absent) it names the update by the id in its manifest.
    type: path
  id:
    description:
      - The update id. With I(state=absent), the update to undo. With a
        I(path), a check that the package holds this update.
    type: str
  all:
    description:
      - With I(state=absent), undo every update on the host, newest first
        (C(ksplice-undo --all)).
    type: bool
    default: false
  dry_run:
    description:
      - Run every check of an apply and change nothing
        (C(ksplice-apply --dry-run)). The task fails when the kernel would
        refuse the update, with the reason in I(msg).
    type: bool
    default: false
  tries:
    description:
      - How many times the engine tries while a thread runs the code being
        replaced (1..1000); the engine's default when not given.
    type: int
  allow_unsigned:
    description:
      - Apply a package without a trusted signature (C(--allow-unsigned)).
    type: bool
    default: false
notes:
  - Runs as root on the host (C(become) when you log in as another user).
  - An id already loaded but neither applied nor pending (left by a failed
    run) is refused with the advice to undo it first.
seealso:
  - module: ksplice.live.ksplice_facts
'''

EXAMPLES = r'''
- name: Apply an update now
  ksplice.live.ksplice_update:
    path: /root/ksplice-CVE-2026-93146.tar.gz

- name: Would the kernel take it? (changes nothing)
  ksplice.live.ksplice_update:
    path: /root/ksplice-CVE-2026-93146.tar.gz
    dry_run: true

- name: Apply and keep it across reboots
  ksplice.live.ksplice_update:
    path: /root/ksplice-CVE-2026-93146.tar.gz
    state: installed

- name: Take it out
  ksplice.live.ksplice_update:
    id: CVE-2026-93146
    state: absent

- name: Incident - take every update out
  ksplice.live.ksplice_update:
    state: absent
    all: true
'''

RETURN = r'''
id:
  description: The update id (from the package, or as given).
  returned: unless I(all=true)
  type: str
  sample: CVE-2026-93146
stage:
  description: The update's stage after the task (applied, pending), or
    null when it is not loaded.
  returned: always
  type: str
  sample: applied
update:
  description: The update as C(ksplice-view --json) reports it after the
    task (functions, pause, tries), or null when it is not loaded.
  returned: always
  type: dict
apply:
  description: What C(ksplice-apply --json) printed (ok, state, exit,
    error, signed_by, update).
  returned: when ksplice-apply ran
  type: dict
undo:
  description: What C(ksplice-undo --json) printed (updates, ok, exit,
    error).
  returned: when ksplice-undo ran
  type: dict
undone:
  description: Ids taken out (reversed, cancelled if pending, or removed
    from the boot store).
  returned: when ksplice-undo ran
  type: list
  elements: str
view:
  description: C(ksplice-view --json) after the task.
  returned: always
  type: dict
exit:
  description: The tool's exit status (0 done, 1 refused by the kernel,
    2 bad usage or package, 3 environment).
  returned: when a tool ran
  type: int
refused:
  description: True when the kernel refused (exit 1), false otherwise.
  returned: on failure of a tool
  type: bool
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ksplice.live.plugins.module_utils import ksplice as ks

LIVE = ('applied', 'pending')


def tool_fail(module, what, rc, data, err, **extra):
    extra.pop('msg', None)
    extra.update(exit=rc, refused=rc == 1)
    module.fail_json(msg=ks.first_error(data, err, '%s failed' % what),
                     **extra)


def common_args(params):
    argv = ['--json']
    if params['tries'] is not None:
        argv.append('--tries=%d' % params['tries'])
    return argv


def supports_install(module, apply_path):
    rc, out, err = module.run_command([apply_path, '--help'])
    return '--install' in out + err


def dry_run(module, apply_path, res):
    p = module.params
    argv = [apply_path, '--dry-run'] + common_args(p)
    if p['allow_unsigned']:
        argv.append('--allow-unsigned')
    rc, data, err = ks.run_json(module, argv + [p['path']])
    res['apply'] = data
    res['exit'] = rc
    if rc != 0:
        tool_fail(module, 'ksplice-apply --dry-run', rc, data, err,
                  id=res['id'], apply=data, view=res['view'])
    return res


def ensure_present(module, res):
    p = module.params
    info = ks.package_info(p['path'])
    if p['id'] and p['id'] != info['id']:
        module.fail_json(msg='%s holds update %s, not %s' %
                         (p['path'], info['id'], p['id']))
    uid = res['id'] = info['id']
    before = res['view'] = ks.view(module)
    cur = ks.find_update(before, uid)
    res['update'] = cur
    res['stage'] = cur['stage'] if cur else None
    if cur and cur['stage'] not in LIVE:
        module.fail_json(msg='update %s is loaded but %s, not applied: take '
                         'it out with ksplice-undo %s first' %
                         (uid, cur['stage'], uid), **res)
    install = p['state'] == 'installed'
    apply_path = ks.tool(module, 'ksplice-apply')
    if install and not supports_install(module, apply_path):
        module.fail_json(msg='this ksplice-apply has no --install: state='
                         'installed needs a ksplice with boot-time '
                         'reapply', **res)
    stored = install and uid in ks.installed(before, os.uname()[2])
    if cur and (not install or stored):
        res['msg'] = 'update %s is already %s%s' % (
            uid, cur['stage'], ' and installed' if install else '')
        return res
    if p['dry_run'] or (module.check_mode and not cur):
        # An already live update needs only storing: nothing to try.
        dry_run(module, apply_path, res)
        res['changed'] = not p['dry_run']
        res['msg'] = 'ksplice-apply --dry-run: the kernel would take %s' % uid
        return res
    if module.check_mode:
        res['changed'] = True
        return res
    argv = [apply_path] + common_args(p)
    if install:
        argv.append('--install')
    if p['allow_unsigned']:
        argv.append('--allow-unsigned')
    rc, data, err = ks.run_json(module, argv + [p['path']])
    res['apply'] = data
    res['exit'] = rc
    res['view'] = ks.view(module)
    res['update'] = ks.find_update(res['view'], uid)
    res['stage'] = res['update']['stage'] if res['update'] else None
    if rc != 0:
        tool_fail(module, 'ksplice-apply', rc, data, err, **res)
    res['changed'] = True
    return res


def ensure_absent(module, res):
    p = module.params
    if not p['all'] and not p['id']:
        if not p['path']:
            module.fail_json(msg='state=absent needs id, path or all=true')
        p['id'] = ks.package_info(p['path'])['id']
    if not p['all']:
        res['id'] = p['id']
    before = res['view'] = ks.view(module)
    # ksplice-undo also takes an update out of the boot store, and one
    # stored but not loaded (ksplice=off, failed at boot) is just removed
    loaded = [u['id'] for u in before['updates']]
    stored = ks.installed(before, os.uname()[2])
    if p['all']:
        targets = loaded + [i for i in stored if i not in loaded]
    else:
        targets = [p['id']] if p['id'] in loaded + stored else []
    res['stage'] = None
    res['update'] = None
    if not targets:
        res['msg'] = 'nothing to undo: %s' % (
            'no updates are loaded or installed' if p['all'] else
            'update %s is neither loaded nor installed' % p['id'])
        res['undone'] = []
        return res
    if module.check_mode:
        res['changed'] = True
        res['undone'] = targets
        if not p['all']:
            res['update'] = ks.find_update(before, p['id'])
            res['stage'] = res['update']['stage'] if res['update'] else None
        return res
    argv = [ks.tool(module, 'ksplice-undo')] + common_args(p)
    argv += ['--all'] if p['all'] else [p['id']]
    rc, data, err = ks.run_json(module, argv)
    res['undo'] = data
    res['exit'] = rc
    res['undone'] = [u.get('id') for u in (data or {}).get('updates', [])
                     if u.get('reversed') or u.get('cancelled') or
                     u.get('uninstalled')]
    res['view'] = ks.view(module)
    if not p['all']:
        res['update'] = ks.find_update(res['view'], p['id'])
        res['stage'] = res['update']['stage'] if res['update'] else None
    res['changed'] = bool(res['undone'])
    if rc != 0:
        tool_fail(module, 'ksplice-undo', rc, data, err, **res)
    return res


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', default='applied',
                       choices=['applied', 'absent', 'installed']),
            path=dict(type='path'),
            id=dict(type='str'),
            all=dict(type='bool', default=False),
            dry_run=dict(type='bool', default=False),
            tries=dict(type='int'),
            allow_unsigned=dict(type='bool', default=False),
        ),
        required_if=[('state', 'applied', ('path',)),
                     ('state', 'installed', ('path',))],
        supports_check_mode=True,
    )
    p = module.params
    if p['tries'] is not None and not 1 <= p['tries'] <= 1000:
        module.fail_json(msg='tries: %d is not in 1..1000' % p['tries'])
    if p['all'] and p['id']:
        module.fail_json(msg='give id or all=true, not both')
    if p['all'] and p['state'] != 'absent':
        module.fail_json(msg='all=true goes with state=absent only')
    if p['dry_run'] and p['state'] == 'absent':
        module.fail_json(msg='dry_run goes with state=applied or installed')
    res = dict(changed=False)
    try:
        if p['state'] == 'absent':
            res = ensure_absent(module, res)
        else:
            res = ensure_present(module, res)
    except ks.KspliceError as e:
        res.pop('msg', None)
        module.fail_json(msg=str(e), **res)
    module.exit_json(**res)


if __name__ == '__main__':
    main()
