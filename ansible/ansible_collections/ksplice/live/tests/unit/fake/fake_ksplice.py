# A stand-in for ksplice-apply, ksplice-undo, ksplice-view and
# ksplice-uname (by the name it is called with) for the collection's
# offline tests: the same options and --json shapes as the C tools, with
# the "kernel" a JSON file ($FAKE_KSPLICE_STATE).  Each call is logged
# to the file's "calls" list so tests see what the modules ran.
#   state: {"updates": [{"id", "stage"}], "refuse": {id: reason},
#           "refuse_apply": {id: reason} (not the dry run),
#           "refuse_undo": {id: reason},
#           "install_option": bool, "installed": [ids], "effective": str}
import json
import os
import re
import sys
import tarfile

STATE = os.environ['FAKE_KSPLICE_STATE']


def load():
    try:
        with open(STATE) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(s):
    with open(STATE + '.tmp', 'w') as f:
        json.dump(s, f)
    os.rename(STATE + '.tmp', STATE)


def upd(uid, stage):
    return {'id': uid, 'description': 'fake ' + uid, 'stage': stage,
            'sequence': 1, 'tries': 1, 'functions': []}


def pkg_id(path):
    with tarfile.open(path) as t:
        for m in t:
            g = re.match(r'ksplice-([^/]+)/manifest$', m.name)
            if g:
                return g.group(1)
    raise ValueError('no manifest')


def out(obj, rc):
    print(json.dumps(obj))
    sys.exit(rc)


def main():
    tool = sys.argv.pop(1)
    args = sys.argv[1:]
    s = load()
    s.setdefault('updates', [])
    s.setdefault('calls', []).append([tool] + args)
    save(s)
    ids = [u['id'] for u in s['updates']]
    if '--help' in args:
        print('usage: %s [--dry-run] [--json]%s' %
              (tool, ' [--install]' if s.get('install_option') else ''))
        sys.exit(0)
    if tool == 'ksplice-uname':
        if 'effective' not in s:
            sys.exit(3)
        print(s['effective'])
        sys.exit(0)
    if tool == 'ksplice-view':
        v = {'engine_loaded': bool(s['updates']), 'updates': s['updates']}
        if s.get('install_option'):
            v['installed'] = {'release': os.uname()[2], 'boot_skipped': None,
                              'updates': [{'id': i, 'boot': None}
                                          for i in s.get('installed', [])]}
        out(v, 0)
    if tool == 'ksplice-apply':
        path = args[-1]
        if '--install' in args and not s.get('install_option'):
            sys.stderr.write('ksplice-apply: unrecognized option --install\n')
            sys.exit(2)
        try:
            uid = pkg_id(path)
        except (OSError, ValueError, tarfile.TarError) as e:
            out({'package': path, 'ok': False, 'exit': 2,
                 'error': 'bad package: %s' % e}, 2)
        dry = '--dry-run' in args
        err = None
        if uid in ids:
            err = 'update %s is already applied' % uid
        elif uid in s.get('refuse', {}):
            err = s['refuse'][uid]
        elif not dry and uid in s.get('refuse_apply', {}):
            err = s['refuse_apply'][uid]
        if err:
            out({'package': path, 'id': uid, 'dry_run': dry, 'ok': False,
                 'state': None, 'exit': 1, 'error': err}, 1)
        if not dry:
            s['updates'].append(upd(uid, 'applied'))
            if '--install' in args and uid not in s.setdefault('installed', []):
                s['installed'].append(uid)
            save(s)
        out({'package': path, 'id': uid, 'dry_run': dry, 'ok': True,
             'state': None if dry else 'applied', 'exit': 0, 'error': None,
             'update': upd(uid, 'applied')}, 0)
    if tool == 'ksplice-undo':
        todo = list(reversed(ids)) if '--all' in args else [args[-1]]
        if '--all' in args:
            todo += [i for i in s.get('installed', []) if i not in ids]
        done = []
        for uid in todo:
            if uid not in ids and uid in s.get('installed', []):
                s['installed'].remove(uid)
                save(s)
                done.append({'id': uid, 'was': None, 'reversed': False,
                             'cancelled': False, 'uninstalled': True})
                continue
            if uid not in ids:
                out({'updates': done, 'ok': False, 'exit': 2,
                     'error': 'no update %s is loaded' % uid}, 2)
            if uid in s.get('refuse_undo', {}):
                out({'updates': done, 'ok': False, 'exit': 1,
                     'error': s['refuse_undo'][uid]}, 1)
            s['updates'] = [u for u in s['updates'] if u['id'] != uid]
            if uid in s.get('installed', []):
                s['installed'].remove(uid)
            save(s)
            done.append({'id': uid, 'was': 'applied', 'reversed': True,
                         'cancelled': False, 'ok': True, 'exit': 0})
        out({'updates': done, 'ok': True, 'exit': 0, 'error': None}, 0)
    sys.exit(2)


main()
