#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# ksplice_facts: what a host runs, as facts: the applied, pending and
# installed updates, the kernel release its code is equivalent to, and,
# for a health check, new kernel-log problems and taint since a moment.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ksplice_facts
short_description: Facts about the ksplice updates a host runs
description:
  - Sets C(ansible_facts.ksplice) from C(ksplice-view --json) and the
    kernel. Changes nothing on the host.
  - With I(log_since), also checks the kernel's health since that moment
    (a value of C(uptime) taken before an apply), that is new oops, BUG, WARNING,
    lockup or panic lines in the kernel log, and new taint bits.
version_added: "1.0.0"
author: ksplice developers (@ksplice)
options:
  log_since:
    description:
      - Seconds since boot (the C(uptime) fact of an earlier run). Kernel
        log records stamped from then on are searched for problems.
    type: float
  taint_before:
    description:
      - The C(tainted) fact of the same earlier run; taint bits set since
        then count as a problem unless listed in I(taint_ignore).
    type: int
    default: 0
  taint_ignore:
    description:
      - Taint letters that are no problem. By default out-of-tree (O),
        unsigned (E) and live-patched (K), which loading an update sets by
        design.
    type: str
    default: OEK
notes:
  - Runs as root to read the kernel log (C(/dev/kmsg)) and the addresses
    C(ksplice-view) shows to root only.
  - Works on a host without ksplice too (I(tools) is false, the lists are
    empty), so a fleet can be surveyed before the package is everywhere.
seealso:
  - module: ksplice.live.ksplice_update
'''

EXAMPLES = r'''
- name: What does each host run?
  ksplice.live.ksplice_facts:

- name: Show it
  ansible.builtin.debug:
    msg: "{{ ansible_facts.ksplice.effective_release }}: {{ ansible_facts.ksplice.applied }}"

- name: Remember the moment before an apply
  ksplice.live.ksplice_facts:
  register: before

- name: Anything wrong in the kernel since?
  ksplice.live.ksplice_facts:
    log_since: "{{ before.ansible_facts.ksplice.uptime }}"
    taint_before: "{{ before.ansible_facts.ksplice.tainted }}"
  register: after
  failed_when: not after.ansible_facts.ksplice.health.ok
'''

RETURN = r'''
ansible_facts:
  description: The facts, under C(ksplice).
  returned: always
  type: complex
  contains:
    ksplice:
      description: What the host runs.
      returned: always
      type: complex
      contains:
        tools:
          description: Whether ksplice-view is on the host.
          type: bool
        engine_loaded:
          description: Whether ksplice.ko is loaded.
          type: bool
        applied:
          description: Ids of the applied updates, oldest first.
          type: list
          elements: str
        pending:
          description: Ids of updates waiting for their module to load.
          type: list
          elements: str
        loaded:
          description: Ids loaded but neither applied nor pending.
          type: list
          elements: str
        installed:
          description: Ids stored to be applied again at boot, in install
            order.
          type: list
          elements: str
        updates:
          description: Every update as C(ksplice-view --json) lists it.
          type: list
          elements: dict
        kernel_release:
          description: The booted release (C(uname -r)).
          type: str
        effective_release:
          description: The release the running code is equivalent to
            (C(ksplice-uname -r)), or the booted release where that tool is
            missing.
          type: str
        effective_release_source:
          description: C(ksplice-uname) or C(uname).
          type: str
        uptime:
          description: Seconds since boot, for a later I(log_since).
          type: float
        tainted:
          description: The kernel's taint mask, for a later I(taint_before).
          type: int
        tainted_letters:
          description: The same as letters (for example C(OEK)).
          type: str
        health:
          description: With I(log_since) only. C(ok), C(log_problems) (the
            kernel log lines), C(new_taint) (letters), C(since).
          type: dict
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ksplice.live.plugins.module_utils import ksplice as ks


def effective_release(module, booted):
    path = ks.tool(module, 'ksplice-uname', required=False)
    if path:
        rc, out, err = module.run_command([path, '-r'])
        if rc == 0 and out.strip():
            return out.strip(), 'ksplice-uname'
    return booted, 'uname'


def gather(module):
    booted = os.uname()[2]
    facts = dict(tools=False, engine_loaded=False, applied=[], pending=[],
                 loaded=[], installed=[], updates=[], kernel_release=booted)
    if ks.tool(module, 'ksplice-view', required=False):
        v = ks.view(module)
        facts['tools'] = True
        facts['engine_loaded'] = bool(v.get('engine_loaded'))
        facts['updates'] = v['updates']
        for u in v['updates']:
            key = u.get('stage') if u.get('stage') in ('applied',
                                                       'pending') else 'loaded'
            facts[key].append(u.get('id'))
        facts['installed'] = ks.installed(v, booted)
    rel, source = effective_release(module, booted)
    facts['effective_release'] = rel
    facts['effective_release_source'] = source
    facts['uptime'] = ks.uptime()
    facts['tainted'] = ks.tainted()
    facts['tainted_letters'] = ks.taint_letters(facts['tainted'])
    p = module.params
    if p['log_since'] is not None:
        facts['health'] = ks.health(p['log_since'], p['taint_before'],
                                    p['taint_ignore'])
    return facts


def main():
    module = AnsibleModule(
        argument_spec=dict(
            log_since=dict(type='float'),
            taint_before=dict(type='int', default=0),
            taint_ignore=dict(type='str', default=ks.DEFAULT_TAINT_IGNORE),
        ),
        supports_check_mode=True,
    )
    try:
        facts = gather(module)
    except (ks.KspliceError, IOError, OSError) as e:
        module.fail_json(msg=str(e))
    module.exit_json(changed=False, ansible_facts=dict(ksplice=facts))


if __name__ == '__main__':
    main()
