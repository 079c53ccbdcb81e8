# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# Shared pieces of the offline tests: a fake host (the fake ksplice tools
# first in PATH, their "kernel" a JSON file), update packages made on the
# fly, and a way to run a module as Ansible does (a process reading its
# arguments from a file, printing JSON).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest

UNIT = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(UNIT, 'fake')
COLLECTION = os.path.abspath(os.path.join(UNIT, '..', '..'))
# ansible/ : the directory that holds ansible_collections/
ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
MODULES = os.path.join(COLLECTION, 'plugins', 'modules')


def make_package(path, uid, release='6.1.0-57-amd64'):
    manifest = ('format 1\nid %s\ndescription test update %s\n'
                'kernel-release %s\n' % (uid, uid, release)).encode()
    with tarfile.open(path, 'w:gz') as t:
        info = tarfile.TarInfo('ksplice-%s/manifest' % uid)
        info.size = len(manifest)
        t.addfile(info, io.BytesIO(manifest))
    return path


class Host(object):
    def __init__(self, tmp):
        self.tmp = tmp
        self.state_path = str(tmp / 'state.json')
        self.set({})

    def set(self, state):
        with open(self.state_path, 'w') as f:
            json.dump(state, f)

    def state(self):
        with open(self.state_path) as f:
            return json.load(f)

    def ids(self):
        return [u['id'] for u in self.state().get('updates', [])]

    def calls(self, tool=None):
        return [c for c in self.state().get('calls', [])
                if tool is None or c[0] == tool]

    def env(self):
        env = dict(os.environ)
        env['PATH'] = FAKE + os.pathsep + env.get('PATH', '')
        env['PYTHONPATH'] = ROOT
        env['FAKE_KSPLICE_PYTHON'] = sys.executable
        env['FAKE_KSPLICE_STATE'] = self.state_path
        return env

    def run(self, module, check_mode=False, **args):
        if check_mode:
            args['_ansible_check_mode'] = True
        argfile = self.tmp / 'args.json'
        argfile.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
        p = subprocess.run([sys.executable,
                            os.path.join(MODULES, module + '.py'),
                            str(argfile)],
                           env=self.env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        try:
            return json.loads(p.stdout)
        except ValueError:
            raise AssertionError('module printed no JSON: %s %s' %
                                 (p.stdout, p.stderr))


@pytest.fixture
def host(tmp_path):
    return Host(tmp_path)


@pytest.fixture
def pkg(tmp_path):
    return make_package(str(tmp_path / 'ksplice-kc-body.tar.gz'), 'kc-body')
