// SPDX-License-Identifier: GPL-2.0
/*
 * kpport_route6: lets the kpatch port's guest checks call __nf_ip6_route(),
 * which nothing a busybox guest runs reaches (its callers are netfilter
 * matches and conntrack helpers).  Writing 0 or 1 to
 * /sys/module/kpport_route6/parameters/lookup routes ::1 through it, loose
 * or strict; reading the parameter gives the last result (0 or -errno).
 */
#include <linux/module.h>
#include <linux/netfilter_ipv6.h>
#include <net/flow.h>
#include <net/dst.h>
#include <net/net_namespace.h>

static int last = 1;	/* 1: not called yet */

static int lookup_set(const char *val, const struct kernel_param *kp)
{
	struct dst_entry *dst = NULL;
	struct flowi fl = { };
	bool strict;
	int err;

	err = kstrtobool(val, &strict);
	if (err)
		return err;
	fl.u.ip6.daddr = in6addr_loopback;
	last = __nf_ip6_route(&init_net, &dst, &fl, strict);
	if (!last)
		dst_release(dst);
	return 0;
}

static int lookup_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%d\n", last);
}

static const struct kernel_param_ops lookup_ops = {
	.set = lookup_set,
	.get = lookup_get,
};
module_param_cb(lookup, &lookup_ops, NULL, 0644);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("calls __nf_ip6_route for the kpatch port's checks");
