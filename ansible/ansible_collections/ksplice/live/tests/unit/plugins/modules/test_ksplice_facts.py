# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# ksplice_facts against the fake tools, and the health check's parts
# (kernel log problems, new taint) with the kernel's files replaced.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible_collections.ksplice.live.plugins.module_utils import ksplice as ks


def test_facts(host):
    host.set({'updates': [{'id': 'a', 'stage': 'applied'},
                          {'id': 'p', 'stage': 'pending'},
                          {'id': 'x', 'stage': 'reversed'}],
              'install_option': True, 'installed': ['a'],
              'effective': '6.1.0-99-amd64'})
    f = host.run('ksplice_facts')['ansible_facts']['ksplice']
    assert f['tools'] and f['engine_loaded']
    assert f['applied'] == ['a'] and f['pending'] == ['p']
    assert f['loaded'] == ['x'] and f['installed'] == ['a']
    assert f['effective_release'] == '6.1.0-99-amd64'
    assert f['effective_release_source'] == 'ksplice-uname'
    assert f['kernel_release'] == os.uname()[2]
    assert f['uptime'] > 0 and isinstance(f['tainted'], int)
    assert 'health' not in f


def test_facts_fallback_to_uname(host):
    f = host.run('ksplice_facts')['ansible_facts']['ksplice']
    assert f['effective_release'] == os.uname()[2]
    assert f['effective_release_source'] == 'uname'
    assert f['applied'] == [] and f['installed'] == []


def test_store_read_directly(tmp_path, monkeypatch):
    from ansible_collections.ksplice.live.tests.unit.conftest import make_package
    store = tmp_path / '6.1.0-1-amd64'
    store.mkdir()
    make_package(str(store / 'one.tar.gz'), 'one')
    monkeypatch.setattr(ks, 'STORE_ROOT', str(tmp_path))
    assert ks.installed({'updates': []}, '6.1.0-1-amd64') == ['one']
    assert ks.installed({'updates': []}, 'other') == []


def test_health(monkeypatch):
    lines = ['ksplice: applied kc-body',
             'WARNING: CPU: 0 PID: 1 at kernel/foo.c:1 bar+0x1/0x2']
    monkeypatch.setattr(ks, 'kernel_log_since', lambda since: lines)
    # O and K are ignored; W is new
    monkeypatch.setattr(ks, 'tainted', lambda: (1 << 12) | (1 << 15) | (1 << 9))
    h = ks.health(10.0, 0)
    assert not h['ok']
    assert h['new_taint'] == 'W'
    assert h['log_problems'] == [lines[1]]
    monkeypatch.setattr(ks, 'kernel_log_since', lambda since: lines[:1])
    monkeypatch.setattr(ks, 'tainted', lambda: 1 << 12)
    assert ks.health(10.0, 0)['ok']
    # taint that was there before is not new
    monkeypatch.setattr(ks, 'tainted', lambda: 1 << 9)
    assert ks.health(10.0, 1 << 9)['ok']


def test_taint_letters():
    assert ks.taint_letters(ks.taint_mask('OEK')) == 'OEK'
    assert ks.taint_letters((1 << 7) | (1 << 9)) == 'DW'


def test_kernel_log_since_reads_kmsg():
    # a real read of this machine's kernel log: everything is "since 0"
    if not os.access('/dev/kmsg', os.R_OK):
        return
    assert ks.kernel_log_since(0.0)
    assert ks.kernel_log_since(1e12) == []
