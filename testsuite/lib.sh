# testsuite/lib.sh: helpers for the VM tests in testsuite/tests/*.sh.
#
#   . "$(dirname "$0")/../lib.sh"     (turns on set -euo pipefail)
#
# A test exits 0 on pass, 77 to skip, anything else to fail.
# testsuite/run-all runs it from the repository root with REPO and VMRUN
# set; both get defaults here when a test is run by hand.
#
#   vm_run [vm/run options] -- COMMAND
#       Boot the test VM and run COMMAND (see testsuite/vm/run --help).
#       The console is shown as it comes and kept in $VM_OUTPUT; the exit
#       status is returned and kept in $VM_STATUS.  Use as
#       `vm_run -- cmd || fail "..."` or `vm_run ... || true` under set -e.
#   vm_run_ok [options] -- COMMAND     vm_run, fail unless status 0
#   vm_run_status N [options] -- COMMAND   vm_run, fail unless status N
#   expect_contains OUTPUT STRING      fail unless OUTPUT contains STRING
#   expect_not_contains OUTPUT STRING  fail if it does
#   expect_match OUTPUT REGEX          fail unless a line matches (grep -E)
#   expect_eq ACTUAL EXPECTED [WHAT]
#   fail MSG / skip MSG / log MSG
#   need_cmd CMD...                    skip unless every CMD exists
#   need_file FILE...                  skip unless every FILE exists
#   default_kernel                     the VM's default kernel release
#   build_kmod SRC_DIR [RELEASE]       build the out-of-tree module in
#       SRC_DIR (copied to build/kmod/<test>/<name>-<release>/) against
#       /lib/modules/RELEASE/build; prints the build directory
#   "${SIGN[@]}"    ksplice-create's --sign-key/--sign-cert with the test
#       bed's key, which the guest trusts (testsuite/vm/signing-key)
#   test_tmpdir                        a new directory under $TEST_TMPDIR,
#                                      which is removed at exit
#   bg_build LOG CMD...   run CMD (a ksplice-create) in the background,
#       output in LOG, its exit status in LOG.rc; two at a time (in one
#       ksplice-create only the compile keeps both CPUs busy), the first
#       of a test alone (it makes the tree's object map and kbuild's
#       environment once)
#   bg_wait               wait for every bg_build
#   bg_ok LOG             after bg_wait: true when LOG's bg_build exited 0,
#       else shows its last 20 lines and its status (BG_STATUS)
#   private_tree DIR CP_FLAG RELEASE   a cache of its own at DIR (for
#       KSPLICE_CACHE) whose prepared tree of RELEASE is a copy of the
#       shared one (cp CP_FLAG: -a, or -al for hard links), with what
#       runs keep beside it; for a test that alters or watches a tree
#   example_bed, debian_tree_bed       what a test of ksplice-create on
#       testsuite/examples/ or on Debian's tree needs (see each below)

set -euo pipefail

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VMRUN=${VMRUN:-$REPO/testsuite/vm/run}
export REPO VMRUN
mapfile -t SIGN < <("$REPO/testsuite/vm/signing-key")
[[ ${#SIGN[@]} == 2 ]] || { echo "lib.sh: no test signing key (testsuite/vm/signing-key)" >&2; exit 1; }
VM_OUTPUT=""
VM_STATUS=0
TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

log()  { echo "[$TEST_NAME] $*"; }
fail() { echo "[$TEST_NAME] FAIL: $*" >&2; exit 1; }
skip() { echo "[$TEST_NAME] SKIP: $*" >&2; exit 77; }

need_cmd() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || skip "$c not installed"; done
}
need_file() {
	local f
	for f in "$@"; do [[ -e $f ]] || skip "$f does not exist (not built?)"; done
}

# Every temporary file of the test lives under $TEST_TMPDIR, removed at
# exit (a test that sets its own EXIT trap should call _test_cleanup).
TEST_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/ksplice-test.XXXXXX")
_test_cleanup() { rm -rf "$TEST_TMPDIR"; }
trap _test_cleanup EXIT
test_tmpdir() { mktemp -d "$TEST_TMPDIR/tmp.XXXXXX"; }

_bg_started=0
bg_build() {
	local out=$1
	shift
	rm -f "$out.rc"
	(
		rc=0
		"$@" </dev/null >"$out" 2>&1 || rc=$?
		echo "$rc" >"$out.rc"
	) &
	[[ $_bg_started -gt 0 ]] || wait
	_bg_started=$((_bg_started + 1))
	while [[ $(jobs -rp | wc -l) -ge 2 ]]; do wait -n || true; done
}
bg_wait() { wait; }
private_tree() {
	local dir=$1 how=$2 rel=$3 shared=${KSPLICE_CACHE:-$REPO/cache} k
	mkdir -p "$dir/trees" && cp "$how" "$shared/trees/$rel" "$dir/trees/$rel" || return 1
	for k in "$shared/trees/".*-"$rel"; do
		case $k in
		*/.lock-* | */.image-* | */.dl-* | */.tmp-*) ;;
		*) cp -a "$k" "$dir/trees/" || return 1 ;;
		esac
	done
}

bg_ok() {
	BG_STATUS=$(cat "$1.rc" 2>/dev/null) || BG_STATUS="(none)"
	[[ $BG_STATUS == 0 ]] && return 0
	tail -n 20 "$1"
	return 1
}

vm_run() {
	local out
	out=$(mktemp "$TEST_TMPDIR/vmout.XXXXXX")
	if "$VMRUN" "$@" 2>&1 | tee "$out"; then
		VM_STATUS=0
	else
		VM_STATUS=${PIPESTATUS[0]}
	fi
	VM_OUTPUT=$(cat "$out")
	rm -f "$out"
	return "$VM_STATUS"
}
vm_run_ok() {
	vm_run "$@" || fail "VM run failed with status $VM_STATUS: ${*: -1}"
}
vm_run_status() {
	local want=$1
	shift
	vm_run "$@" || true
	[[ $VM_STATUS == "$want" ]] || fail "VM run: status $VM_STATUS, expected $want: ${*: -1}"
}

expect_contains() {
	[[ $1 == *"$2"* ]] && return 0
	fail "output does not contain '$2'"
}
expect_not_contains() {
	[[ $1 != *"$2"* ]] && return 0
	fail "output contains '$2': $(grep -F -m1 -- "$2" <<<"$1")"
}
expect_match() {
	grep -qE -- "$2" <<<"$1" && return 0
	fail "no output line matches /$2/"
}
expect_eq() {
	[[ $1 == "$2" ]] && return 0
	fail "${3:-value}: got '$1', expected '$2'"
}

default_kernel() {
	if [[ -n ${KSPLICE_KERNEL:-} ]]; then echo "$KSPLICE_KERNEL"; else "$REPO/testsuite/vm/kernel-release"; fi
}

build_kmod() {
	local src=$1 rel=${2:-} name dir
	[[ -n $rel ]] || rel=$(default_kernel)
	[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps --kernel $rel)"
	name=$(basename "$src")
	# one directory per test: tests running side by side build the same
	# module, and one must not load what the other is writing
	dir=$REPO/build/kmod/$TEST_NAME/$name-$rel
	mkdir -p "$dir"
	cp -r "$src/." "$dir/"
	make -s -C "/lib/modules/$rel/build" M="$dir" modules >"$dir/build.log" 2>&1 ||
		{ cat "$dir/build.log" >&2; fail "building $src for $rel failed"; }
	echo "$dir"
}

# example_bed: what the tests of testsuite/examples/ need (ksplice-create,
# -apply and -undo, the engine, the default kernel's headers); sets rel
# (that kernel), ex (testsuite/examples) and tmp (a scratch directory).
example_bed() {
	local t
	for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
	need_file "$REPO/kmod/ksplice.ko"
	rel=$(default_kernel)
	[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
	ex=$REPO/testsuite/examples
	tmp=$(test_tmpdir)
}

# debian_tree_bed: what the tests of ksplice-create --debian that apply in
# the VM need (ksplice-create, -apply and -undo, the engine, the default
# kernel's headers, its Debian tree prepared); sets rel (that kernel),
# tmp (a scratch directory), create (ksplice-create --debian=$rel, an
# array) and tree (the prepared tree, never to be written).
debian_tree_bed() {
	local t
	for t in create apply undo; do need_file "$REPO/userspace/ksplice-$t"; done
	need_file "$REPO/kmod/ksplice.ko"
	rel=$(default_kernel)
	[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
	tmp=$(test_tmpdir)
	create=("$REPO/userspace/ksplice-create" --debian="$rel")
	"${create[@]}" --prepare >"$tmp/prepare.log" 2>&1 ||
		{ cat "$tmp/prepare.log"; skip "cannot prepare Debian's tree of $rel"; }
	tree=${KSPLICE_CACHE:-$REPO/cache}/trees/$rel
}
