// SPDX-License-Identifier: Apache-2.0
/*
 * block_nft.c — nftables blocking through libnftables: vigil's own
 * `table inet vigil`, two interval+timeout sets and drop rules in the
 * prerouting, input, forward and output hooks.
 *
 * Where it sits: `vigil watch --block nft` queues the remote address of each
 * actionable alert from the engine's action hook (vg_nft_queue: a copy into a
 * preallocated array, no syscall) and calls vg_nft_flush once the packet is
 * processed, which commits every queued element in a single nft batch
 * (nft_run_cmd_from_buffer → one netlink transaction).  `vigil block apply`
 * uses vg_nft_add_bulk, which merges networks into disjoint intervals first
 * (an interval set refuses overlapping elements) and writes them in chunks.
 * Invariants: only table inet vigil is ever created, changed or deleted; an
 * IPv4(-mapped) address always goes to vigil_v4.  Errors are kept as
 * nftables' text (first "Error:" line) for the command layer to print.
 * Single-threaded per vg_nft_t; owns its libnftables context and buffers.
 */
#include "watch/block_nft.h"
#include "lib/buf.h"

#include <arpa/inet.h>
#include <nftables/libnftables.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned __int128 u128;

typedef struct qent {
	vg_ip_t net;
	unsigned prefix;
	uint32_t timeout_s;
	uint64_t ts_us;
} qent_t;

struct vg_nft {
	struct nft_ctx *ctx;
	qent_t *q;
	size_t nq, cap;
	vg_buf_t cmd;
	vg_buf_t out; /* copy of the last listing */
	char err[512];
	bool denied;
};

static const char *const HOOKS[] = {"prerouting", "input", "forward", "output"};

int vg_nft_new(vg_nft_t **out, size_t queue_cap)
{
	*out = NULL;
	vg_nft_t *n = calloc(1, sizeof *n);
	if (!n)
		return VG_ENOMEM;
	n->cap = queue_cap ? queue_cap : 256;
	n->q = calloc(n->cap, sizeof *n->q);
	if (!n->q || !vg_buf_reserve(&n->cmd, n->cap * 128 + 256)) {
		vg_nft_free(n);
		return VG_ENOMEM;
	}
	n->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!n->ctx) {
		vg_nft_free(n);
		return VG_EIO;
	}
	nft_ctx_buffer_output(n->ctx);
	nft_ctx_buffer_error(n->ctx);
	*out = n;
	return 0;
}

void vg_nft_free(vg_nft_t *n)
{
	if (!n)
		return;
	if (n->ctx)
		nft_ctx_free(n->ctx);
	free(n->q);
	vg_buf_release(&n->cmd);
	vg_buf_release(&n->out);
	free(n);
}

const char *vg_nft_error(const vg_nft_t *n) { return n->err; }
bool vg_nft_denied(const vg_nft_t *n) { return n->denied; }

/* keep the first "Error: ..." line of nftables' message */
static void take_error(vg_nft_t *n)
{
	const char *e = nft_ctx_get_error_buffer(n->ctx);
	if (!e || !*e) {
		snprintf(n->err, sizeof n->err, "nftables command failed");
	} else {
		const char *p = strstr(e, "Error: ");
		p = p ? p + 7 : e;
		size_t len = strcspn(p, "\n");
		if (len >= sizeof n->err)
			len = sizeof n->err - 1;
		memcpy(n->err, p, len);
		n->err[len] = 0;
	}
	n->denied = strstr(n->err, "Operation not permitted") != NULL;
}

/* run: one nft command buffer (one transaction). 0 or VG_EIO. */
static int run(vg_nft_t *n, const char *cmd)
{
	n->err[0] = 0;
	n->denied = false;
	int r = nft_run_cmd_from_buffer(n->ctx, cmd);
	(void)nft_ctx_get_output_buffer(n->ctx); /* rewinds */
	if (r) {
		take_error(n);
		return VG_EIO;
	}
	(void)nft_ctx_get_error_buffer(n->ctx);
	return 0;
}

static bool no_table(const vg_nft_t *n) { return strstr(n->err, "No such file or directory") != NULL; }
static bool overlaps(const vg_nft_t *n)
{
	return strstr(n->err, "overlap") || strstr(n->err, "File exists");
}

int vg_nft_setup(vg_nft_t *n)
{
	vg_buf_t b = VG_BUF_INIT;
	vg_buf_adds(&b, "add table inet " VG_NFT_TABLE "\n"
			"add set inet " VG_NFT_TABLE " " VG_NFT_SET4
			" { type ipv4_addr; flags interval, timeout; }\n"
			"add set inet " VG_NFT_TABLE " " VG_NFT_SET6
			" { type ipv6_addr; flags interval, timeout; }\n");
	for (size_t i = 0; i < sizeof HOOKS / sizeof HOOKS[0]; i++) {
		const char *h = HOOKS[i];
		/* before conntrack (-200) in prerouting/output; filter - 10 elsewhere */
		int prio = (!strcmp(h, "prerouting") || !strcmp(h, "output")) ? -300 : -10;
		vg_buf_addf(&b,
			    "add chain inet %s %s { type filter hook %s priority %d; policy accept; }\n"
			    "flush chain inet %s %s\n",
			    VG_NFT_TABLE, h, h, prio, VG_NFT_TABLE, h);
		static const char *const R[] = {"ip saddr @" VG_NFT_SET4, "ip daddr @" VG_NFT_SET4,
						"ip6 saddr @" VG_NFT_SET6, "ip6 daddr @" VG_NFT_SET6};
		for (size_t k = 0; k < 4; k++)
			vg_buf_addf(&b, "add rule inet %s %s %s drop\n", VG_NFT_TABLE, h, R[k]);
	}
	if (b.oom) {
		vg_buf_release(&b);
		return VG_ENOMEM;
	}
	int rc = run(n, b.p);
	vg_buf_release(&b);
	return rc;
}

int vg_nft_delete(vg_nft_t *n)
{
	int rc = run(n, "delete table inet " VG_NFT_TABLE "\n");
	if (rc && no_table(n))
		return VG_ENOTFOUND;
	return rc;
}

int vg_nft_list_json(vg_nft_t *n, const char **json)
{
	static const char *const SETS[] = {VG_NFT_SET4, VG_NFT_SET6};
	unsigned flags = nft_ctx_output_get_flags(n->ctx);
	nft_ctx_output_set_flags(n->ctx, flags | NFT_CTX_OUTPUT_JSON);
	vg_buf_reset(&n->out);
	int rc = 0;
	for (size_t i = 0; i < 2 && !rc; i++) {
		char cmd[96];
		snprintf(cmd, sizeof cmd, "list set inet %s %s\n", VG_NFT_TABLE, SETS[i]);
		n->err[0] = 0;
		n->denied = false;
		if (nft_run_cmd_from_buffer(n->ctx, cmd)) {
			take_error(n);
			rc = no_table(n) ? VG_ENOTFOUND : VG_EIO;
			break;
		}
		vg_buf_adds(&n->out, nft_ctx_get_output_buffer(n->ctx));
		vg_buf_addc(&n->out, '\n');
	}
	nft_ctx_output_set_flags(n->ctx, flags);
	if (!rc && n->out.oom)
		rc = VG_ENOMEM;
	*json = rc ? NULL : n->out.p;
	return rc;
}

/* v4 when the network is inside ::ffff:0:0/96 */
static bool is4(const vg_ip_t *ip, unsigned prefix) { return prefix >= 96 && vg_ip_is4(ip); }

int vg_nft_queue(vg_nft_t *n, const vg_ip_t *net, unsigned prefix, uint32_t timeout_s,
		 uint64_t ts_us)
{
	if (prefix > 128)
		prefix = 128;
	for (size_t i = 0; i < n->nq; i++)
		if (n->q[i].prefix == prefix && !memcmp(&n->q[i].net, net, sizeof *net))
			return 0;
	if (n->nq == n->cap)
		return VG_ELIMIT;
	qent_t *e = &n->q[n->nq++];
	e->net = *net;
	e->prefix = prefix;
	e->timeout_s = timeout_s;
	e->ts_us = ts_us;
	return 0;
}

size_t vg_nft_pending(const vg_nft_t *n) { return n->nq; }

/* append "ADDR[/LEN]" in the set's family */
static void add_net(vg_buf_t *b, const vg_ip_t *ip, unsigned prefix)
{
	char s[INET6_ADDRSTRLEN];
	if (is4(ip, prefix)) {
		inet_ntop(AF_INET, ip->a + 12, s, sizeof s);
		prefix -= 96;
		vg_buf_adds(b, s);
		if (prefix < 32)
			vg_buf_addf(b, "/%u", prefix);
	} else {
		inet_ntop(AF_INET6, ip->a, s, sizeof s);
		vg_buf_adds(b, s);
		if (prefix < 128)
			vg_buf_addf(b, "/%u", prefix);
	}
}

static void add_timeout(vg_buf_t *b, uint32_t timeout_s)
{
	if (timeout_s)
		vg_buf_addf(b, " timeout %us", timeout_s);
}

/* one "add element" line per family present in q[0..nq) */
static void build_adds(vg_buf_t *b, const qent_t *q, size_t nq)
{
	for (int fam = 0; fam < 2; fam++) {
		bool any = false;
		for (size_t i = 0; i < nq; i++) {
			if (is4(&q[i].net, q[i].prefix) != (fam == 0))
				continue;
			vg_buf_adds(b, any ? ", " : "add element inet " VG_NFT_TABLE " ");
			if (!any)
				vg_buf_adds(b, fam == 0 ? VG_NFT_SET4 " { " : VG_NFT_SET6 " { ");
			any = true;
			add_net(b, &q[i].net, q[i].prefix);
			add_timeout(b, q[i].timeout_s);
		}
		if (any)
			vg_buf_adds(b, " }\n");
	}
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int vg_nft_flush(vg_nft_t *n, vg_nft_report_fn report, void *ctx)
{
	if (!n->nq)
		return 0;
	vg_buf_reset(&n->cmd);
	build_adds(&n->cmd, n->q, n->nq);
	int rc = n->cmd.oom ? VG_ENOMEM : run(n, n->cmd.p);
	if (rc == VG_EIO && no_table(n) && vg_nft_setup(n) == 0)
		rc = run(n, n->cmd.p);
	uint64_t t = now_us();
	if (rc == 0) {
		for (size_t i = 0; report && i < n->nq; i++)
			report(ctx, &n->q[i].net, n->q[i].prefix, VG_NFT_ADDED,
			       (int64_t)(t - n->q[i].ts_us));
		n->nq = 0;
		return 0;
	}
	/* one by one: find the overlapping ones (already covered) and the real failures */
	int worst = 0;
	char first_err[sizeof n->err] = "";
	bool first_denied = false;
	for (size_t i = 0; i < n->nq; i++) {
		vg_buf_reset(&n->cmd);
		build_adds(&n->cmd, &n->q[i], 1);
		int r = n->cmd.oom ? VG_ENOMEM : run(n, n->cmd.p);
		int st = r == 0 ? VG_NFT_ADDED : (r == VG_EIO && overlaps(n)) ? VG_NFT_COVERED : r;
		if (st < 0 && !worst) {
			worst = st;
			memcpy(first_err, n->err, sizeof first_err);
			first_denied = n->denied;
		}
		if (report)
			report(ctx, &n->q[i].net, n->q[i].prefix, st, (int64_t)(now_us() - n->q[i].ts_us));
	}
	n->nq = 0;
	memcpy(n->err, first_err, sizeof n->err);
	n->denied = first_denied;
	return worst ? VG_EIO : 0;
}

/* ---- bulk ---------------------------------------------------------------- */

typedef struct ival {
	u128 lo, hi;
} ival_t;

static u128 u128_of(const uint8_t *a)
{
	u128 v = 0;
	for (int i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

static void u128_put(u128 v, vg_ip_t *ip)
{
	for (int i = 15; i >= 0; i--) {
		ip->a[i] = (uint8_t)v;
		v >>= 8;
	}
}

static int cmp_ival(const void *a, const void *b)
{
	const ival_t *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/* the prefix length when [lo, hi] is exactly one CIDR block, else -1 */
static int block_prefix(u128 lo, u128 hi)
{
	u128 size = hi - lo; /* block size - 1 */
	if (size == ~(u128)0)
		return lo == 0 ? 0 : -1;
	if ((size & (size + 1)) != 0 || (lo & size) != 0)
		return -1;
	int bits = 0;
	while (size) {
		bits++;
		size >>= 1;
	}
	return 128 - bits;
}

static void add_ival(vg_buf_t *b, const ival_t *iv, bool v4)
{
	vg_ip_t lo, hi;
	u128_put(iv->lo, &lo);
	u128_put(iv->hi, &hi);
	int p = block_prefix(iv->lo, iv->hi);
	if (p >= 0 && (!v4 || p >= 96)) {
		add_net(b, &lo, (unsigned)p);
		return;
	}
	char s[INET6_ADDRSTRLEN];
	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? lo.a + 12 : lo.a, s, sizeof s);
	vg_buf_adds(b, s);
	vg_buf_addc(b, '-');
	inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? hi.a + 12 : hi.a, s, sizeof s);
	vg_buf_adds(b, s);
}

static void begin(vg_buf_t *b, bool v4)
{
	vg_buf_reset(b);
	vg_buf_adds(b, v4 ? "add element inet " VG_NFT_TABLE " " VG_NFT_SET4 " { "
			  : "add element inet " VG_NFT_TABLE " " VG_NFT_SET6 " { ");
}

/* write iv[0..n) into one set, chunk elements per batch */
static int write_ivals(vg_nft_t *nf, const ival_t *iv, size_t n, bool v4, uint32_t timeout_s,
		       size_t chunk, vg_nft_bulk_stats_t *st)
{
	vg_buf_t b = VG_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i += chunk) {
		size_t m = n - i < chunk ? n - i : chunk;
		begin(&b, v4);
		for (size_t k = 0; k < m; k++) {
			if (k)
				vg_buf_adds(&b, ", ");
			add_ival(&b, &iv[i + k], v4);
			add_timeout(&b, timeout_s);
		}
		vg_buf_adds(&b, " }\n");
		if (b.oom) {
			rc = VG_ENOMEM;
			break;
		}
		st->batches++;
		if (run(nf, b.p) == 0) {
			if (v4)
				st->v4_elems += m;
			else
				st->v6_elems += m;
			continue;
		}
		if (nf->denied || no_table(nf)) {
			rc = VG_EIO;
			break;
		}
		for (size_t k = 0; k < m && !rc; k++) { /* some overlap what is there */
			begin(&b, v4);
			add_ival(&b, &iv[i + k], v4);
			add_timeout(&b, timeout_s);
			vg_buf_adds(&b, " }\n");
			st->batches++;
			if (b.oom)
				rc = VG_ENOMEM;
			else if (run(nf, b.p) == 0)
				v4 ? st->v4_elems++ : st->v6_elems++;
			else if (overlaps(nf))
				st->covered++;
			else
				rc = VG_EIO;
		}
	}
	vg_buf_release(&b);
	return rc;
}

int vg_nft_add_bulk(vg_nft_t *n, vg_nft_net_t *nets, size_t count, uint32_t timeout_s,
		    size_t chunk, vg_nft_bulk_stats_t *st)
{
	vg_nft_bulk_stats_t dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof *st);
	if (!chunk)
		chunk = 65536; /* each nft command re-reads the set: few, big batches */
	ival_t *iv = malloc((count ? count : 1) * sizeof *iv);
	if (!iv)
		return VG_ENOMEM;
	/* v4 first (mapped addresses sort inside ::ffff:0:0/96); split by family */
	size_t n4 = 0, n6 = 0;
	for (size_t i = 0; i < count; i++) {
		unsigned p = nets[i].prefix > 128 ? 128 : nets[i].prefix;
		u128 mask = p == 0 ? 0 : ~(u128)0 << (128 - p);
		u128 lo = u128_of(nets[i].net.a) & mask;
		ival_t v = {lo, lo | ~mask};
		if (is4(&nets[i].net, p))
			iv[n4++] = v;
	}
	for (size_t i = 0; i < count; i++) {
		unsigned p = nets[i].prefix > 128 ? 128 : nets[i].prefix;
		if (is4(&nets[i].net, p))
			continue;
		u128 mask = p == 0 ? 0 : ~(u128)0 << (128 - p);
		u128 lo = u128_of(nets[i].net.a) & mask;
		iv[n4 + n6++] = (ival_t){lo, lo | ~mask};
	}
	size_t outn[2] = {0, 0};
	ival_t *part[2] = {iv, iv + n4};
	size_t partn[2] = {n4, n6};
	for (int f = 0; f < 2; f++) {
		ival_t *a = part[f];
		qsort(a, partn[f], sizeof *a, cmp_ival);
		size_t m = 0;
		for (size_t i = 0; i < partn[f]; i++) {
			if (m && (a[i].lo <= a[m - 1].hi || a[i].lo - 1 == a[m - 1].hi)) {
				if (a[i].hi > a[m - 1].hi)
					a[m - 1].hi = a[i].hi;
			} else {
				a[m++] = a[i];
			}
		}
		outn[f] = m;
	}
	int rc = write_ivals(n, part[0], outn[0], true, timeout_s, chunk, st);
	if (!rc)
		rc = write_ivals(n, part[1], outn[1], false, timeout_s, chunk, st);
	free(iv);
	return rc;
}
