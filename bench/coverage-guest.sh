# bench/coverage's guest side (busybox sh): each update in /root/pkg is
# applied and undone in turn, its target module loaded first.  One line
# per update, "COV id<TAB>apply-status<TAB>undo-status<TAB>message", the
# tools' last line when one failed.
for p in /root/pkg/ksplice-cov-*.tar.gz; do
	id=${p##*/ksplice-cov-}; id=${id%.tar.gz}
	for t in $(tar xzf "$p" -O "ksplice-cov-$id/manifest" | awk '$1 == "target" && $2 != "vmlinux" { print $2 }'); do
		# a test module that loads only when told what to emulate
		case $t in i2c_stub) opt=chip_addr=0x50 ;; *) opt= ;; esac
		modprobe "$t" $opt >/tmp/modprobe.out 2>&1 ||
			{ printf 'COV %s\tmodule\t-\t%s cannot load here: %s\n' "$id" "$t" "$(tail -n 1 /tmp/modprobe.out)"; continue 2; }
	done
	# packages built before bench/coverage signed them are let through
	ksplice-apply --allow-unsigned "$p" >/tmp/apply.out 2>&1; a=$?
	if [ $a != 0 ]; then
		# the engine's own line says why; the tool's last line may not
		why=$(dmesg | grep "cov-$id refused" | tail -n 1 | sed 's/^\[[^]]*\] //')
		[ -n "$why" ] || why=$(grep -i 'refused\|error\|cannot' /tmp/apply.out | tail -n 1)
		[ -n "$why" ] || why=$(tail -n 1 /tmp/apply.out)
		printf 'COV %s\t%s\t-\t%s\n' "$id" $a "$why"
		continue
	fi
	ksplice-undo "cov-$id" >/tmp/undo.out 2>&1; u=$?
	printf 'COV %s\t0\t%s\t%s\n' "$id" $u "$(tail -n 1 /tmp/undo.out)"
done
echo "coverage guest: done"
