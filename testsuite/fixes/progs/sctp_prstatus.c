/*
 * sctp_prstatus: fix "sctp: copy zeroed stats to user in
 * sctp_getsockopt_pr_streamstatus() when !streamoute".
 *
 * Sets up a one-to-one SCTP association over 127.0.0.1 and asks
 * SCTP_PR_STREAM_STATUS for an outgoing stream that never carried data (its
 * stream extension is not allocated), with the result fields preset to
 * 0xff..ff and optlen larger than the structure.
 * Old kernel: returns 0 but copies nothing back (fields stay 0xff..ff,
 * optlen unchanged).  Fixed: zeroed stats and optlen = sizeof(struct).
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sctp.h>

int main(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa), optlen;
	struct {
		struct sctp_prstatus st;
		char slack[16];
	} buf;
	struct sctp_initmsg init;
	int l, c, a, one = 1;

	l = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	c = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (l < 0 || c < 0) {
		perror("socket(IPPROTO_SCTP)");
		return 2;
	}
	memset(&init, 0, sizeof(init));
	init.sinit_num_ostreams = 4;
	init.sinit_max_instreams = 4;
	setsockopt(c, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init));
	setsockopt(l, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init));
	setsockopt(c, IPPROTO_SCTP, SCTP_PR_SUPPORTED, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &sl)) {
		perror("bind/listen");
		return 2;
	}
	if (connect(c, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		return 2;
	}
	a = accept(l, NULL, NULL);
	if (a < 0) {
		perror("accept");
		return 2;
	}

	memset(&buf, 0, sizeof(buf));
	buf.st.sprstat_assoc_id = 0;	/* the one association of a one-to-one socket */
	buf.st.sprstat_sid = 1;		/* never used for data */
	buf.st.sprstat_policy = SCTP_PR_SCTP_TTL;
	buf.st.sprstat_abandoned_unsent = UINT64_MAX;
	buf.st.sprstat_abandoned_sent = UINT64_MAX;
	optlen = sizeof(buf);
	if (getsockopt(c, IPPROTO_SCTP, SCTP_PR_STREAM_STATUS, &buf, &optlen) < 0) {
		printf("SCTP_PR_STREAM_STATUS: unexpected error %s\n", strerror(errno));
		return 2;
	}
	close(a);
	close(c);
	close(l);

	printf("SCTP_PR_STREAM_STATUS on an unused stream: unsent=%#llx sent=%#llx optlen=%u (struct %zu)\n",
	       (unsigned long long)buf.st.sprstat_abandoned_unsent,
	       (unsigned long long)buf.st.sprstat_abandoned_sent,
	       (unsigned)optlen, sizeof(buf.st));
	if (buf.st.sprstat_abandoned_unsent == UINT64_MAX &&
	    buf.st.sprstat_abandoned_sent == UINT64_MAX && optlen == sizeof(buf)) {
		printf("nothing copied back (old behaviour)\n");
		return 1;
	}
	if (buf.st.sprstat_abandoned_unsent == 0 && buf.st.sprstat_abandoned_sent == 0 &&
	    optlen == sizeof(buf.st)) {
		printf("zeroed stats copied back (fixed)\n");
		return 0;
	}
	printf("unexpected result\n");
	return 2;
}
