#!/bin/bash
# scripts/demo, the README's first command, runs to the end and every
# step shows what it should.
. "$(dirname "$0")/../lib.sh"
need_file "$REPO/kmod/ksplice.ko" "$REPO/userspace/ksplice-create"
rel=$(default_kernel)
[[ -d /lib/modules/$rel/build ]] || skip "no headers for $rel (scripts/install-deps)"
out=$("$REPO/scripts/demo" --kernel "$rel" 2>&1) && rc=0 || rc=$?
echo "$out"
expect_eq "$rc" 0 "scripts/demo exit status"
expect_contains "$out" "hello from the original module (read 2)"
expect_contains "$out" "hello from the patched module (read 3)"
expect_contains "$out" "hello from the original module (read 4)"
expect_contains "$out" "demo: every step showed what it should"
