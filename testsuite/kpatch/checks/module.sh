# module: nfsd's /proc/fs/nfs/exports header, from the new e_show: a
# string from vmlinux's new function through an alternative's call, the
# new static key flipped and back, a new pr_debug once enabled.
E=/proc/fs/nfs/exports
[ -r $E ] || exit 2
echo 'format "ksplice-port: e_show" +p' > /proc/dynamic_debug/control 2>/dev/null
n0=$(dmesg | grep -c "ksplice-port: e_show pr_debug")
out=$(cat $E) || exit 2
echo "$out"
n1=$(dmesg | grep -c "ksplice-port: e_show pr_debug")
case $out in
*"# ksplice-port"*) ;;
*) exit 1 ;;
esac
case $out in *"# ksplice-port: alternative call into vmlinux"*) ;; *) exit 2 ;; esac
echo "$out" | grep -q '^# ksplice-port key 111 memcg_kmem [01]$' || exit 2
echo "pr_debug lines: $n0 before, $n1 after"
[ "$n1" -gt "$n0" ] || exit 2
exit 0
