# Helpers for scripts that run inside the test VM (busybox sh).
K=/sys/kernel/ksplice
T=/usr/lib/ksplice/test
TGT=/sys/kernel/kst_target
fails=0
passes=0

ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "FAIL - $*"; }

# check DESC CMD...: run CMD, report.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# eq DESC GOT WANT
eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}

# contains DESC TEXT NEEDLE
contains() {
	case "$2" in
	*"$3"*) ok "$1" ;;
	*) not_ok "$1: '$3' not in '$2'" ;;
	esac
}

# stage ID applied|reversed: returns the write's status.
stage() { echo "$2" 2>/dev/null > "$K/$1/stage"; }

call() { echo "$1" > $TGT/call && cat $TGT/call; }

load_core() {
	insmod "$KSPLICE_MODULE_DIR/ksplice.ko" || { not_ok "insmod ksplice.ko"; finish; }
	insmod $T/kst_target.ko || { not_ok "insmod kst_target.ko"; finish; }
}

finish() {
	echo "guest: $passes passed, $fails failed"
	[ "$fails" -eq 0 ] && exit 0
	dmesg | tail -n 30
	exit 1
}
