/*
 * algif_short_recv: algif_skcipher hunk of the 6.1.191 AF_ALG RX-budget
 * backport ("crypto: af_alg - limit RX SG extraction by receive buffer
 * budget", CVE-2026-31677): refuse a receive shorter than one cipher block
 * while more data is announced.
 *
 * Encrypts through AF_ALG "cbc(aes)": sends 16 bytes with MSG_MORE, then
 * reads with an 8-byte buffer (less than the 16-byte block).
 * Old kernel: the request is rounded down to 0 bytes and read returns 0.
 * Fixed: EINVAL.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/if_alg.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

int main(void)
{
	struct sockaddr_alg sa = {
		.salg_family = AF_ALG,
		.salg_type = "skcipher",
		.salg_name = "cbc(aes)",
	};
	unsigned char key[16] = { 1, 2, 3, 4 }, data[16] = { 0 }, out[8];
	char cbuf[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct af_alg_iv) + 16)];
	struct msghdr msg;
	struct cmsghdr *cm;
	struct af_alg_iv *iv;
	struct iovec iov = { data, sizeof(data) };
	int tfm, op;
	ssize_t n;

	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("AF_ALG skcipher cbc(aes)");
		return 2;
	}
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, sizeof(key)) < 0) {
		perror("ALG_SET_KEY");
		return 2;
	}
	op = accept(tfm, NULL, 0);
	if (op < 0) {
		perror("accept");
		return 2;
	}
	memset(cbuf, 0, sizeof(cbuf));
	memset(&msg, 0, sizeof(msg));
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_OP;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	*(int *)CMSG_DATA(cm) = ALG_OP_ENCRYPT;
	cm = CMSG_NXTHDR(&msg, cm);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_IV;
	cm->cmsg_len = CMSG_LEN(sizeof(struct af_alg_iv) + 16);
	iv = (struct af_alg_iv *)CMSG_DATA(cm);
	iv->ivlen = 16;
	if (sendmsg(op, &msg, MSG_MORE) != sizeof(data)) {
		perror("sendmsg");
		return 2;
	}
	n = recv(op, out, sizeof(out), MSG_DONTWAIT);
	if (n == 0) {
		printf("8-byte read of a 16-byte block with more data announced: 0 bytes (old behaviour)\n");
		return 1;
	}
	if (n < 0 && errno == EINVAL) {
		printf("8-byte read of a 16-byte block with more data announced: EINVAL (fixed)\n");
		return 0;
	}
	if (n < 0)
		printf("short read: unexpected error %s\n", strerror(errno));
	else
		printf("short read: unexpected %zd bytes\n", n);
	return 2;
}
