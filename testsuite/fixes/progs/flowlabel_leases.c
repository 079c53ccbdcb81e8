/*
 * flowlabel_leases: fix "ipv6: flowlabel: cap duplicate leases per socket"
 * (CVE-2026-97597).
 *
 * As uid 65534 (no CAP_NET_ADMIN), creates one IPv6 flow label on a socket
 * and then takes 40 more leases on the same label through the same socket
 * (IPV6_FL_A_GET without IPV6_FL_F_CREATE).  FL_MAX_PER_SOCK is 32.
 * Old kernel: all 40 extra leases are granted.  Fixed: ENOBUFS once the
 * socket holds 32.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/in6.h>

#ifndef IPV6_FLOWLABEL_MGR
#define IPV6_FLOWLABEL_MGR 32
#endif

struct fl_req {		/* struct in6_flowlabel_req, without linux/in6.h clashes */
	struct in6_addr flr_dst;
	__be32 flr_label;
	__u8 flr_action;
	__u8 flr_share;
	__u16 flr_flags;
	__u16 flr_expires;
	__u16 flr_linger;
	__u32 __flr_pad;
};

#define FL_A_GET	0
#define FL_F_CREATE	1
#define FL_S_ANY	255
#define EXTRA		40

int main(void)
{
	struct fl_req req;
	gid_t g = 65534;
	int s, i, granted = 0, e = 0;

	if (setgroups(1, &g) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("drop to uid 65534");
		return 2;
	}
	s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (s < 0) {
		perror("socket(AF_INET6)");
		return 2;
	}
	memset(&req, 0, sizeof(req));
	inet_pton(AF_INET6, "::1", &req.flr_dst);
	req.flr_label = htonl(0x4d2);
	req.flr_action = FL_A_GET;
	req.flr_share = FL_S_ANY;
	req.flr_flags = FL_F_CREATE;
	req.flr_linger = 1;
	if (setsockopt(s, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &req, sizeof(req)) < 0) {
		perror("create flow label");
		return 2;
	}
	req.flr_flags = 0;
	for (i = 0; i < EXTRA; i++) {
		if (setsockopt(s, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &req, sizeof(req)) < 0) {
			e = errno;
			break;
		}
		granted++;
	}
	close(s);

	if (granted == EXTRA) {
		printf("duplicate leases on one socket: all %d granted (old behaviour)\n", EXTRA);
		return 1;
	}
	if (e == ENOBUFS) {
		printf("duplicate leases on one socket: ENOBUFS after %d (fixed)\n", granted);
		return 0;
	}
	printf("duplicate leases on one socket: unexpected error %s after %d\n", strerror(e), granted);
	return 2;
}
