# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0
# What the ksplice modules share: running the host tools (ksplice-apply,
# ksplice-undo, ksplice-view, ksplice-uname) with --json and reading what
# they print, the id inside an update package, the updates stored for the
# next boot, and the kernel log and taint since a moment (health checks).
# The tools stay the authority: this file only calls them and reads.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import json
import os
import re
import tarfile

STORE_ROOT = '/var/lib/ksplice'

# Kernel log lines that mean the kernel is unwell (the test bed's oops
# check looks for the same).
_LOG_PROBLEM = re.compile(
    r'(Oops|BUG:|WARNING:|kernel BUG|general protection fault|'
    r'Call Trace:|RIP: |Kernel panic|soft lockup|hard LOCKUP|'
    r'hung_task|blocked for more than|Tainted: )')

# The kernel's taint letters by bit (Documentation/admin-guide/tainted-kernels).
TAINT_LETTERS = 'PFSRMBUDAWCIOELKXT'

# Out-of-tree (O), unsigned (E) and live-patched (K) are what loading an
# update does by design: not a sign of trouble.
DEFAULT_TAINT_IGNORE = 'OEK'


class KspliceError(Exception):
    """A tool is missing or printed something that is not its JSON."""


def tool(module, name, required=True):
    """The path of a ksplice tool, looked up like a shell (PATH, sbin)."""
    path = module.get_bin_path(name, required=False)
    if not path and required:
        raise KspliceError('%s not found on the host: install the ksplice '
                           'package first' % name)
    return path


def run_json(module, argv):
    """Run a tool with --json; return (exit, parsed stdout or None, stderr)."""
    rc, out, err = module.run_command(argv)
    data = None
    if out.strip():
        try:
            data = json.loads(out)
        except ValueError:
            raise KspliceError('%s printed no JSON (exit %d): %s' %
                               (os.path.basename(argv[0]), rc,
                                (err or out).strip()[:400]))
    return rc, data, err


def first_error(data, err, default):
    """The one-line reason a tool gave: its JSON "error", else stderr."""
    if isinstance(data, dict) and data.get('error'):
        return data['error']
    lines = [ln for ln in (err or '').splitlines() if ln.strip()]
    return lines[0] if lines else default


def view(module):
    """ksplice-view --json: {'engine_loaded': bool, 'updates': [...]}."""
    path = tool(module, 'ksplice-view')
    rc, data, err = run_json(module, [path, '--json'])
    if rc != 0 or not isinstance(data, dict):
        raise KspliceError('ksplice-view failed (exit %d): %s' %
                           (rc, first_error(data, err, 'no output')))
    data.setdefault('updates', [])
    return data


def find_update(view_data, update_id):
    for u in view_data.get('updates', []):
        if u.get('id') == update_id:
            return u
    return None


def package_info(path):
    """The id, kernel release and description in a package's manifest.

    A package holds ksplice-<id>/manifest (docs/ARCHITECTURE.md); the
    manifest's own "id" line must agree with the directory name.
    """
    try:
        with tarfile.open(path, 'r:*') as tar:
            for member in tar:
                m = re.match(r'^ksplice-([A-Za-z0-9_-]{1,64})/manifest$',
                             member.name)
                if not m or not member.isfile():
                    continue
                f = tar.extractfile(member)
                text = f.read(1 << 20).decode('utf-8', 'replace')
                info = {'id': m.group(1), 'kernel_release': None,
                        'description': None}
                for line in text.splitlines():
                    key, _, value = line.partition(' ')
                    if key == 'id' and value != m.group(1):
                        raise KspliceError('%s: manifest id %s does not '
                                           'match its directory ksplice-%s'
                                           % (path, value, m.group(1)))
                    if key == 'kernel-release':
                        info['kernel_release'] = value
                    elif key == 'description':
                        info['description'] = value
                return info
    except (IOError, OSError, tarfile.TarError) as e:
        raise KspliceError('%s: cannot read the package: %s' % (path, e))
    raise KspliceError('%s: not a ksplice update package (no '
                       'ksplice-<id>/manifest inside)' % path)


def installed(view_data, release):
    """Updates stored for the next boot of @release, in install order.

    ksplice-view --json lists them when it knows the store; otherwise the
    packages under /var/lib/ksplice/<release>/ are read directly.
    """
    items = view_data.get('installed')
    if isinstance(items, dict):         # {"release", "updates": [{"id"}]}
        items = items.get('updates')
    if isinstance(items, list):
        return [it['id'] if isinstance(it, dict) else it for it in items
                if (isinstance(it, dict) and it.get('id')) or
                isinstance(it, str)]
    store = os.path.join(STORE_ROOT, release)
    if not os.path.isdir(store):
        return []
    found = []
    for name in sorted(os.listdir(store)):
        path = os.path.join(store, name)
        if not name.endswith('.tar.gz') or not os.path.isfile(path):
            continue
        try:
            found.append((os.stat(path).st_mtime, package_info(path)['id']))
        except KspliceError:
            continue
    return [i for _, i in sorted(found)]


def uptime():
    with open('/proc/uptime') as f:
        return float(f.read().split()[0])


def tainted():
    with open('/proc/sys/kernel/tainted') as f:
        return int(f.read().strip())


def taint_letters(mask):
    return ''.join(c for i, c in enumerate(TAINT_LETTERS) if mask & (1 << i))


def taint_mask(letters):
    mask = 0
    for c in letters.upper():
        if c not in TAINT_LETTERS:
            raise KspliceError('unknown taint letter %s (one of %s)' %
                               (c, TAINT_LETTERS))
        mask |= 1 << TAINT_LETTERS.index(c)
    return mask


def kernel_log_since(since):
    """Kernel log messages stamped at or after @since (seconds of uptime).

    /dev/kmsg gives every record with its monotonic time stamp, so lines
    older than the apply are told apart without parsing dmesg's text.
    """
    lines = []
    fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                rec = os.read(fd, 8192)
            except OSError as e:
                if e.errno == errno.EPIPE:  # overwritten: read on
                    continue
                break                   # EAGAIN: no more records
            if not rec:
                break
            head, _, msg = rec.decode('utf-8', 'replace').partition(';')
            fields = head.split(',')
            if len(fields) < 3:
                continue
            try:
                stamp = int(fields[2]) / 1e6
            except ValueError:
                continue
            if stamp >= since:
                lines.append(msg.split('\n', 1)[0])
    finally:
        os.close(fd)
    return lines


def health(since, taint_before, ignore=DEFAULT_TAINT_IGNORE):
    """New kernel problems since an apply: log lines and taint bits."""
    problems = [ln for ln in kernel_log_since(since) if _LOG_PROBLEM.search(ln)]
    new = tainted() & ~taint_before & ~taint_mask(ignore)
    return {
        'since': since,
        'log_problems': problems,
        'new_taint': taint_letters(new),
        'ok': not problems and not new,
    }
