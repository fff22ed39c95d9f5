// SPDX-License-Identifier: Apache-2.0
/*
 * inventory.c — the device table (see inventory.h for the model).
 *
 * Devices live in an array of pointers in id order (appended as they appear;
 * a merged device is removed with a memmove, which is rare).  Two open-
 * addressing indexes find them: MAC -> device and IP -> device, both linear
 * probing sized at creation for the configured maximum (power of two, load
 * <= 1/2), the IP index with backward-shift deletion so addresses can move
 * between devices without tombstones.  A device is calloc'ed when it
 * appears and its destination array grows by doubling up to max_dests; no
 * other allocation happens after vg_inv_new.
 *
 * Classification: every rule match is evidence (signal, value, rule, class,
 * confidence).  Per class the confidences combine as independent evidence
 * (noisy-or: 1 - prod(1 - c/100)); the class with the highest score wins,
 * ties to the lower class number, so the result does not depend on the
 * order signals arrived in.
 */
#include "dev/inventory.h"

#include "lib/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LOCAL 64
#define NAME_MAX_LEN 95
#define ARENA_BLOCK 65536

typedef struct ipslot {
	vg_ip_t ip;
	vg_inv_dev_t *d; /* NULL = empty */
} ipslot_t;

typedef struct macslot {
	uint64_t key;    /* mac + 1 (0 = empty) */
	vg_inv_dev_t *d;
} macslot_t;

struct vg_inv {
	vg_inv_limits_t lim;
	const vg_dev_rules_t *rules;
	const vg_vulns_t *vulns;
	vg_inv_dev_t **devs;
	uint32_t n_devs, next_id;
	ipslot_t *ipt;
	uint32_t ipmask;
	macslot_t *mact;
	uint32_t macmask;
	uint32_t *deleted;
	uint32_t n_deleted, cap_deleted;
	bool dirty;
	vg_ip_t local[MAX_LOCAL];
	uint8_t local_pfx[MAX_LOCAL];
	int n_local;
	vg_inv_stats_t st;
	vg_dev_fp_t fp[8];
	/* interned destination names: hash table + arena of 64 KiB blocks */
	const char **names;
	uint32_t names_mask, n_names;
	char **blocks;
	uint32_t n_blocks;
	size_t block_used;
};

static const char *const risk_names[VG_RISK__BITS] = {
	"cleartext-telnet", "cleartext-ftp-login", "cleartext-http-basic", "rtsp-no-auth",
	"upnp", "vulnerable-version", "listed-indicator",
};

const char *vg_inv_risk_name(int i)
{
	return i >= 0 && i < VG_RISK__BITS ? risk_names[i] : "";
}

uint32_t vg_inv_risk_parse(const char *name)
{
	for (int i = 0; i < VG_RISK__BITS; i++)
		if (!strcmp(name, risk_names[i]))
			return 1u << i;
	return 0;
}

void vg_inv_limits_default(vg_inv_limits_t *l)
{
	l->max_devices = 4096;
	l->max_dests = 256;
	l->max_names = 65536;
}

static uint32_t pow2_at_least(uint64_t n)
{
	uint32_t s = 16;
	while (s < n && s < (1u << 30))
		s <<= 1;
	return s;
}

int vg_inv_new(vg_inv_t **out, const vg_inv_limits_t *lim, const vg_dev_rules_t *rules,
	       const vg_vulns_t *vulns)
{
	*out = NULL;
	if (!lim->max_devices || !lim->max_dests || lim->max_devices > (1u << 24) ||
	    lim->max_dests > 32768 || lim->max_names > (1u << 24))
		return VG_EINVAL;
	vg_inv_t *inv = calloc(1, sizeof *inv);
	if (!inv)
		return VG_ENOMEM;
	inv->lim = *lim;
	inv->rules = rules;
	inv->vulns = vulns;
	inv->next_id = 1;
	uint32_t isz = pow2_at_least((uint64_t)lim->max_devices * VG_INV_MAX_IPS * 2);
	uint32_t msz = pow2_at_least((uint64_t)lim->max_devices * 2);
	inv->devs = calloc(lim->max_devices, sizeof *inv->devs);
	inv->ipt = calloc(isz, sizeof *inv->ipt);
	inv->mact = calloc(msz, sizeof *inv->mact);
	uint32_t nsz = pow2_at_least((uint64_t)lim->max_names * 2);
	inv->names = calloc(nsz, sizeof *inv->names);
	inv->names_mask = nsz - 1;
	if (!inv->devs || !inv->ipt || !inv->mact || !inv->names) {
		vg_inv_free(inv);
		return VG_ENOMEM;
	}
	inv->ipmask = isz - 1;
	inv->macmask = msz - 1;
	*out = inv;
	return 0;
}

void vg_inv_free(vg_inv_t *inv)
{
	if (!inv)
		return;
	for (uint32_t i = 0; i < inv->n_devs; i++) {
		free(inv->devs[i]->dests);
		free(inv->devs[i]->didx);
		free(inv->devs[i]->ev);
		free(inv->devs[i]);
	}
	for (uint32_t i = 0; i < inv->n_blocks; i++)
		free(inv->blocks[i]);
	free(inv->blocks);
	free(inv->names);
	free(inv->devs);
	free(inv->ipt);
	free(inv->mact);
	free(inv->deleted);
	free(inv);
}

void vg_inv_set_local(vg_inv_t *inv, const vg_ip_t *nets, const uint8_t *prefix, int n)
{
	if (n > MAX_LOCAL)
		n = MAX_LOCAL;
	memcpy(inv->local, nets, (size_t)n * sizeof *nets);
	memcpy(inv->local_pfx, prefix, (size_t)n);
	inv->n_local = n;
}

static bool in_net(const vg_ip_t *ip, const vg_ip_t *net, unsigned pfx)
{
	unsigned full = pfx / 8, rem = pfx % 8;
	if (memcmp(ip->a, net->a, full))
		return false;
	if (rem) {
		uint8_t m = (uint8_t)(0xff << (8 - rem));
		if ((ip->a[full] & m) != (net->a[full] & m))
			return false;
	}
	return true;
}

/* is4: IPv4-mapped (::ffff:a.b.c.d), with two word compares */
static inline bool is4(const vg_ip_t *ip)
{
	uint64_t a;
	uint32_t b;
	memcpy(&a, ip->a, 8);
	memcpy(&b, ip->a + 8, 4);
	static const uint8_t ffff[4] = {0, 0, 0xff, 0xff};
	uint32_t m;
	memcpy(&m, ffff, 4);
	return a == 0 && b == m;
}

bool vg_inv_is_local(const vg_inv_t *inv, const vg_ip_t *ip)
{
	if (is4(ip)) {
		uint32_t v = vg_ip_v4(ip);
		if ((v >> 24) == 10 || (v >> 20) == 0xac1 || (v >> 16) == 0xc0a8 ||
		    (v >> 22) == (100u << 2 | 1) || (v >> 16) == 0xa9fe)
			return true;
	} else if ((ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0x80) || (ip->a[0] & 0xfe) == 0xfc) {
		return true;
	}
	for (int i = 0; i < inv->n_local; i++)
		if (in_net(ip, &inv->local[i], inv->local_pfx[i]))
			return true;
	return false;
}

/* no usable address: all zero, 0.0.0.0, or a group/broadcast address */
static bool ip_zero(const vg_ip_t *ip)
{
	if (is4(ip)) {
		uint32_t v = vg_ip_v4(ip);
		return v == 0 || v == 0xffffffffu || (v >> 28) == 0xe;
	}
	uint64_t a, b;
	memcpy(&a, ip->a, 8);
	memcpy(&b, ip->a + 8, 8);
	return (a == 0 && b == 0) || ip->a[0] == 0xff;
}

/* ---- indexes ---------------------------------------------------------------------------- */

static uint64_t mac_key(const uint8_t mac[6])
{
	uint64_t k = 0;
	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k + 1;
}

static macslot_t *mac_slot(const vg_inv_t *inv, uint64_t key)
{
	uint32_t i = (uint32_t)vg_hash_u64(key) & inv->macmask;
	while (inv->mact[i].key && inv->mact[i].key != key)
		i = (i + 1) & inv->macmask;
	return &inv->mact[i];
}

static uint32_t ip_home(const vg_inv_t *inv, const vg_ip_t *ip)
{
	return (uint32_t)vg_hash64(ip->a, 16, 0x9e3779b97f4a7c15ull) & inv->ipmask;
}

static ipslot_t *ip_slot(const vg_inv_t *inv, const vg_ip_t *ip)
{
	uint32_t i = ip_home(inv, ip);
	while (inv->ipt[i].d && memcmp(&inv->ipt[i].ip, ip, sizeof *ip))
		i = (i + 1) & inv->ipmask;
	return &inv->ipt[i];
}

static void ip_del(vg_inv_t *inv, const vg_ip_t *ip)
{
	ipslot_t *s = ip_slot(inv, ip);
	if (!s->d)
		return;
	uint32_t i = (uint32_t)(s - inv->ipt);
	inv->ipt[i].d = NULL;
	/* backward-shift: move later entries of the run into the hole */
	uint32_t j = i;
	for (;;) {
		j = (j + 1) & inv->ipmask;
		if (!inv->ipt[j].d)
			break;
		uint32_t h = ip_home(inv, &inv->ipt[j].ip);
		/* can entry j move to i?  yes unless h lies cyclically in (i, j] */
		bool stay = (i <= j) ? (h > i && h <= j) : (h > i || h <= j);
		if (!stay) {
			inv->ipt[i] = inv->ipt[j];
			inv->ipt[j].d = NULL;
			i = j;
		}
	}
}

vg_inv_dev_t *vg_inv_by_ip(const vg_inv_t *inv, const vg_ip_t *ip)
{
	return ip_slot(inv, ip)->d;
}

vg_inv_dev_t *vg_inv_by_mac(const vg_inv_t *inv, const uint8_t mac[6])
{
	return mac_slot(inv, mac_key(mac))->d;
}

/* ---- devices ---------------------------------------------------------------------------- */

static void set_str(char *dst, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = 0;
}

static void mark(vg_inv_t *inv, vg_inv_dev_t *d)
{
	d->dirty = true;
	inv->dirty = true;
}

/* touch: only last_us or destinations changed (a cheaper row update) */
static void touch(vg_inv_t *inv, vg_inv_dev_t *d)
{
	d->touched = true;
	inv->dirty = true;
}

static vg_inv_dev_t *dev_new(vg_inv_t *inv, const uint8_t *mac, uint64_t ts_us)
{
	if (inv->n_devs >= inv->lim.max_devices) {
		inv->st.devices_dropped++;
		return NULL;
	}
	vg_inv_dev_t *d = calloc(1, sizeof *d);
	if (!d) {
		inv->st.devices_dropped++;
		return NULL;
	}
	d->id = inv->next_id++;
	d->first_us = d->last_us = ts_us;
	if (mac) {
		d->has_mac = true;
		memcpy(d->mac, mac, 6);
		if (vg_mac_is_local(mac)) {
			d->randomised = true;
		} else {
			const char *v = vg_oui_vendor(mac);
			if (v)
				set_str(d->vendor, sizeof d->vendor, v, strlen(v));
		}
		macslot_t *s = mac_slot(inv, mac_key(mac));
		s->key = mac_key(mac);
		s->d = d;
	}
	inv->devs[inv->n_devs++] = d;
	mark(inv, d);
	return d;
}

static void note_deleted(vg_inv_t *inv, uint32_t id)
{
	if (inv->n_deleted == inv->cap_deleted) {
		uint32_t nc = inv->cap_deleted ? inv->cap_deleted * 2 : 16;
		uint32_t *n = realloc(inv->deleted, nc * sizeof *n);
		if (!n)
			return; /* the stale row stays in storage; harmless */
		inv->deleted = n;
		inv->cap_deleted = nc;
	}
	inv->deleted[inv->n_deleted++] = id;
}

static void remove_ip(vg_inv_dev_t *d, const vg_ip_t *ip)
{
	for (int i = 0; i < d->n_ips; i++)
		if (!memcmp(&d->ips[i], ip, sizeof *ip)) {
			memmove(&d->ips[i], &d->ips[i + 1], (size_t)(d->n_ips - i - 1) * sizeof *ip);
			d->n_ips--;
			return;
		}
}

static int svc_add(vg_inv_t *inv, vg_inv_dev_t *d, uint16_t port, uint8_t proto)
{
	for (int i = 0; i < d->n_svc; i++)
		if (d->svc[i].port == port && d->svc[i].proto == proto)
			return 0;
	if (d->n_svc >= VG_INV_MAX_SERVICES) {
		inv->st.services_dropped++;
		return 0;
	}
	d->svc[d->n_svc].port = port;
	d->svc[d->n_svc].proto = proto;
	d->n_svc++;
	return 1;
}

static int ev_add(vg_inv_t *inv, vg_inv_dev_t *d, const vg_inv_ev_t *e)
{
	for (int i = 0; i < d->n_ev; i++)
		if (!strcmp(d->ev[i].rule, e->rule) && !strcmp(d->ev[i].signal, e->signal))
			return 0;
	if (d->n_ev >= VG_INV_MAX_EVIDENCE) {
		inv->st.evidence_dropped++;
		return 0;
	}
	if (!d->ev && !(d->ev = calloc(VG_INV_MAX_EVIDENCE, sizeof *d->ev))) {
		inv->st.evidence_dropped++;
		return 0;
	}
	d->ev[d->n_ev++] = *e;
	return 1;
}

int vg_inv_add_evidence(vg_inv_t *inv, vg_inv_dev_t *d, const vg_inv_ev_t *e)
{
	int r = ev_add(inv, d, e);
	if (r) {
		vg_inv_reclassify(d);
		mark(inv, d);
	}
	return r;
}

/* ---- interned names ---------------------------------------------------------------------- */

static const char *intern(vg_inv_t *inv, const char *s)
{
	if (!s || !s[0])
		return "";
	size_t n = strlen(s);
	if (n > NAME_MAX_LEN)
		n = NAME_MAX_LEN;
	uint32_t i = (uint32_t)vg_hash64(s, n, 0x243f6a8885a308d3ull) & inv->names_mask;
	for (; inv->names[i]; i = (i + 1) & inv->names_mask)
		if (!strncmp(inv->names[i], s, n) && !inv->names[i][n])
			return inv->names[i];
	if (inv->n_names >= inv->lim.max_names) {
		inv->st.names_dropped++;
		return "";
	}
	if (!inv->n_blocks || inv->block_used + n + 1 > ARENA_BLOCK) {
		char **nb = realloc(inv->blocks, (inv->n_blocks + 1) * sizeof *nb);
		if (!nb) {
			inv->st.names_dropped++;
			return "";
		}
		inv->blocks = nb;
		if (!(nb[inv->n_blocks] = malloc(ARENA_BLOCK))) {
			inv->st.names_dropped++;
			return "";
		}
		inv->n_blocks++;
		inv->block_used = 0;
	}
	char *p = inv->blocks[inv->n_blocks - 1] + inv->block_used;
	memcpy(p, s, n);
	p[n] = 0;
	inv->block_used += n + 1;
	inv->names[i] = p;
	inv->n_names++;
	return p;
}

/* ---- destinations: array + open-addressing index per device ------------------------------ */

static uint32_t dest_hash(const vg_ip_t *ip, uint16_t port, uint8_t proto)
{
	uint64_t h = vg_hash64(ip->a, 16, (uint64_t)port << 8 | proto);
	return (uint32_t)h;
}

static vg_inv_dest_t *dest_find(vg_inv_dev_t *d, const vg_ip_t *ip, uint16_t port, uint8_t proto)
{
	if (!d->didx)
		return NULL;
	for (uint32_t i = dest_hash(ip, port, proto) & d->dmask; d->didx[i]; i = (i + 1) & d->dmask) {
		vg_inv_dest_t *x = &d->dests[d->didx[i] - 1];
		if (x->port == port && x->proto == proto && !memcmp(&x->ip, ip, sizeof *ip))
			return x;
	}
	return NULL;
}

static void didx_put(vg_inv_dev_t *d, uint32_t k)
{
	const vg_inv_dest_t *x = &d->dests[k];
	uint32_t i = dest_hash(&x->ip, x->port, x->proto) & d->dmask;
	while (d->didx[i])
		i = (i + 1) & d->dmask;
	d->didx[i] = (uint16_t)(k + 1);
}

/* dest_new: append a zeroed destination (the caller sets ip/port/proto and
 * then calls dest_index); NULL when full. */
static vg_inv_dest_t *dest_new(vg_inv_t *inv, vg_inv_dev_t *d)
{
	if (d->n_dests >= inv->lim.max_dests) {
		inv->st.dests_dropped++;
		return NULL;
	}
	if (d->n_dests == d->cap_dests) {
		uint32_t nc = d->cap_dests ? d->cap_dests * 2 : 8;
		if (nc > inv->lim.max_dests)
			nc = inv->lim.max_dests;
		vg_inv_dest_t *n = realloc(d->dests, nc * sizeof *n);
		if (!n) {
			inv->st.dests_dropped++;
			return NULL;
		}
		d->dests = n;
		uint32_t isz = pow2_at_least((uint64_t)nc * 2);
		uint16_t *ix = calloc(isz, sizeof *ix);
		if (!ix) {
			inv->st.dests_dropped++;
			return NULL;
		}
		free(d->didx);
		d->didx = ix;
		d->dmask = isz - 1;
		d->cap_dests = nc;
		for (uint32_t k = 0; k < d->n_dests; k++)
			didx_put(d, k);
	}
	vg_inv_dest_t *x = &d->dests[d->n_dests++];
	memset(x, 0, sizeof *x);
	x->name = "";
	return x;
}

/* dest_index: index the last destination after its key is set */
static void dest_index(vg_inv_dev_t *d)
{
	didx_put(d, d->n_dests - 1);
}

/* merge src (an IP-only device) into dst and delete src */
static void merge(vg_inv_t *inv, vg_inv_dev_t *dst, vg_inv_dev_t *src)
{
	inv->st.merged++;
	if (src->first_us < dst->first_us)
		dst->first_us = src->first_us;
	if (src->last_us > dst->last_us)
		dst->last_us = src->last_us;
	if (!dst->vendor[0])
		memcpy(dst->vendor, src->vendor, sizeof dst->vendor);
	if (!dst->model[0])
		memcpy(dst->model, src->model, sizeof dst->model);
	if (!dst->firmware[0])
		memcpy(dst->firmware, src->firmware, sizeof dst->firmware);
	if (!dst->hostname[0])
		memcpy(dst->hostname, src->hostname, sizeof dst->hostname);
	dst->risk |= src->risk;
	dst->alerts += src->alerts;
	for (int i = src->n_last - 1; i >= 0; i--) {
		memmove(dst->last_alerts[1], dst->last_alerts[0],
			(VG_INV_LAST_ALERTS - 1) * sizeof dst->last_alerts[0]);
		memcpy(dst->last_alerts[0], src->last_alerts[i], sizeof dst->last_alerts[0]);
		if (dst->n_last < VG_INV_LAST_ALERTS)
			dst->n_last++;
	}
	for (int i = 0; i < src->n_svc; i++)
		svc_add(inv, dst, src->svc[i].port, src->svc[i].proto);
	for (int i = 0; i < src->n_ev; i++)
		ev_add(inv, dst, &src->ev[i]);
	for (int i = 0; i < src->n_vulns && dst->n_vulns < VG_INV_MAX_VULNS; i++) {
		bool have = false;
		for (int k = 0; k < dst->n_vulns; k++)
			have |= !strcmp(dst->vulns[k].component, src->vulns[i].component);
		if (!have)
			dst->vulns[dst->n_vulns++] = src->vulns[i];
	}
	for (uint32_t i = 0; i < src->n_dests; i++) {
		vg_inv_dest_t *s = &src->dests[i];
		vg_inv_dest_t *x = dest_find(dst, &s->ip, s->port, s->proto);
		if (x) {
			x->flows += s->flows;
			if (s->first_us < x->first_us)
				x->first_us = s->first_us;
			if (s->last_us > x->last_us)
				x->last_us = s->last_us;
			x->dirty = true;
		} else if ((x = dest_new(inv, dst))) {
			*x = *s;
			x->dirty = true;
			dest_index(dst);
		}
	}
	vg_inv_reclassify(dst);
	/* drop src's remaining addresses from the index (the caller rebinds) */
	for (int i = 0; i < src->n_ips; i++) {
		ipslot_t *s = ip_slot(inv, &src->ips[i]);
		if (s->d == src)
			ip_del(inv, &src->ips[i]);
		bool have = false;
		for (int k = 0; k < dst->n_ips; k++)
			have |= !memcmp(&dst->ips[k], &src->ips[i], sizeof src->ips[i]);
		if (!have && dst->n_ips < VG_INV_MAX_IPS) {
			dst->ips[dst->n_ips++] = src->ips[i];
			ipslot_t *t = ip_slot(inv, &src->ips[i]);
			if (!t->d) {
				t->ip = src->ips[i];
				t->d = dst;
			}
		}
	}
	for (uint32_t i = 0; i < inv->n_devs; i++)
		if (inv->devs[i] == src) {
			memmove(&inv->devs[i], &inv->devs[i + 1],
				(inv->n_devs - i - 1) * sizeof *inv->devs);
			inv->n_devs--;
			break;
		}
	note_deleted(inv, src->id);
	free(src->dests);
	free(src->didx);
	free(src->ev);
	free(src);
	mark(inv, dst);
}

/* bind ip to d (most recent first); an IP-only holder is merged into d,
 * another MAC device loses the address */
static void bind_ip(vg_inv_t *inv, vg_inv_dev_t *d, const vg_ip_t *ip)
{
	if (d->n_ips && !memcmp(&d->ips[0], ip, sizeof *ip))
		return;
	ipslot_t *s = ip_slot(inv, ip);
	vg_inv_dev_t *old = s->d;
	if (old && old != d) {
		if (!old->has_mac && d->has_mac) {
			merge(inv, d, old); /* also removes the address from the index */
		} else {
			remove_ip(old, ip);
			mark(inv, old);
			ip_del(inv, ip);
		}
	}
	bool had = false;
	for (int i = 0; i < d->n_ips; i++)
		if (!memcmp(&d->ips[i], ip, sizeof *ip)) {
			memmove(&d->ips[1], &d->ips[0], (size_t)i * sizeof *ip);
			had = true;
			break;
		}
	if (!had) {
		if (d->n_ips == VG_INV_MAX_IPS) {
			/* the oldest address falls off */
			const vg_ip_t *last = &d->ips[VG_INV_MAX_IPS - 1];
			if (ip_slot(inv, last)->d == d)
				ip_del(inv, last);
			d->n_ips--;
		}
		memmove(&d->ips[1], &d->ips[0], (size_t)d->n_ips * sizeof *ip);
		d->n_ips++;
		d->mac_ips++;
	}
	d->ips[0] = *ip;
	s = ip_slot(inv, ip);
	s->ip = *ip;
	s->d = d;
	mark(inv, d);
}

/* The device a packet's (mac, ip) pair names; created when new.  NULL when
 * neither is usable or the table is full. */
static vg_inv_dev_t *resolve_l(vg_inv_t *inv, const uint8_t *mac, const vg_ip_t *ip, uint64_t ts,
			       bool force_bind, bool have_ip, bool local)
{
	if (mac && (mac[0] & 1))
		mac = NULL; /* a multicast source is not a device */
	if (mac && (local || !have_ip || force_bind)) {
		vg_inv_dev_t *d = vg_inv_by_mac(inv, mac);
		if (d && d->gateway && !force_bind)
			goto by_ip;
		if (!d && !(d = dev_new(inv, mac, ts)))
			return NULL;
		if (have_ip) {
			if (d->mac_ips >= VG_INV_ROUTER_IPS && !force_bind &&
			    vg_inv_by_ip(inv, ip) != d) {
				d->gateway = true; /* too many addresses: a router */
				goto by_ip;
			}
			bind_ip(inv, d, ip);
		}
		return d;
	}
by_ip:
	if (!local)
		return NULL;
	vg_inv_dev_t *d = vg_inv_by_ip(inv, ip);
	if (d)
		return d;
	if (!(d = dev_new(inv, NULL, ts)))
		return NULL;
	bind_ip(inv, d, ip);
	return d;
}

static vg_inv_dev_t *resolve(vg_inv_t *inv, const uint8_t *mac, const vg_ip_t *ip, uint64_t ts,
			     bool force_bind)
{
	bool have_ip = ip && !ip_zero(ip);
	return resolve_l(inv, mac, ip, ts, force_bind, have_ip, have_ip && vg_inv_is_local(inv, ip));
}

void vg_inv_reclassify(vg_inv_dev_t *d)
{
	double miss[VG_CLASS__COUNT];
	for (int c = 0; c < VG_CLASS__COUNT; c++)
		miss[c] = 1.0;
	for (int i = 0; i < d->n_ev; i++)
		if (d->ev[i].cls > 0 && d->ev[i].cls < VG_CLASS__COUNT)
			miss[d->ev[i].cls] *= 1.0 - d->ev[i].confidence / 100.0;
	int best = VG_CLASS_UNKNOWN;
	double bs = 0;
	for (int c = 1; c < VG_CLASS__COUNT; c++)
		if (1.0 - miss[c] > bs + 1e-9) {
			bs = 1.0 - miss[c];
			best = c;
		}
	d->cls = (uint8_t)best;
	d->confidence = (uint8_t)(bs * 100.0 + 0.5);
}

static void check_vuln(vg_inv_t *inv, vg_inv_dev_t *d, const char *v, size_t len)
{
	vg_vuln_hit_t h[2];
	int n = vg_vuln_text(inv->vulns, v, len, h, 2);
	for (int i = 0; i < n; i++) {
		bool have = false;
		for (int k = 0; k < d->n_vulns; k++)
			have |= !strcmp(d->vulns[k].component, h[i].component) &&
				!strcmp(d->vulns[k].cves, h[i].cves);
		if (have || d->n_vulns >= VG_INV_MAX_VULNS)
			continue;
		vg_inv_vuln_t *x = &d->vulns[d->n_vulns++];
		set_str(x->component, sizeof x->component, h[i].component, strlen(h[i].component));
		set_str(x->version, sizeof x->version, h[i].version, strlen(h[i].version));
		set_str(x->cves, sizeof x->cves, h[i].cves, strlen(h[i].cves));
		d->risk |= VG_RISK_VULN;
		mark(inv, d);
	}
}

void vg_inv_on_signal(void *ctx, const vg_dev_sig_t *s)
{
	vg_inv_t *inv = ctx;
	inv->st.signals++;
	bool lease = s->kind == VG_SIG_DHCP_LEASE;
	if (lease && !s->mac)
		return;
	vg_inv_dev_t *d = resolve(inv, s->mac, &s->ip, s->ts_us, lease);
	if (!d)
		return;
	if (s->ts_us > d->last_us)
		d->last_us = s->ts_us;
	if (s->ts_us < d->first_us)
		d->first_us = s->ts_us;
	mark(inv, d);
	const char *v = s->value ? s->value : "";
	size_t len = s->value ? s->len : 0;
	switch (s->kind) {
	case VG_SIG_DHCP_LEASE: inv->st.leases++; return;
	case VG_SIG_DHCP_HOSTNAME:
		set_str(d->hostname, sizeof d->hostname, v, len);
		break;
	case VG_SIG_DHCP_FQDN:
	case VG_SIG_MDNS_HOSTNAME:
		if (!d->hostname[0])
			set_str(d->hostname, sizeof d->hostname, v, len);
		break;
	case VG_SIG_SADP_MODEL: /* the device's own word: wins over rule guesses */
		set_str(d->model, sizeof d->model, v, len);
		break;
	case VG_SIG_SADP_FIRMWARE:
		set_str(d->firmware, sizeof d->firmware, v, len);
		break;
	case VG_SIG_SERVICE: svc_add(inv, d, s->port, s->proto); break;
	case VG_SIG_TELNET:
		d->risk |= VG_RISK_TELNET;
		if (s->port)
			svc_add(inv, d, s->port, s->proto ? s->proto : 6);
		break;
	case VG_SIG_FTP_LOGIN: d->risk |= VG_RISK_FTP_LOGIN; break;
	case VG_SIG_HTTP_BASIC_AUTH: d->risk |= VG_RISK_HTTP_BASIC; break;
	case VG_SIG_RTSP_NOAUTH: d->risk |= VG_RISK_RTSP_NOAUTH; break;
	case VG_SIG_UPNP_FROM_DEVICE: d->risk |= VG_RISK_UPNP; break;
	default: break;
	}
	bool banner = s->kind == VG_SIG_HTTP_SERVER || s->kind == VG_SIG_RTSP_SERVER ||
		      s->kind == VG_SIG_SSH_BANNER || s->kind == VG_SIG_FTP_BANNER ||
		      s->kind == VG_SIG_SSDP_SERVER;
	if (banner && s->port)
		svc_add(inv, d, s->port, s->proto ? s->proto : 6);
	if (!len)
		return;
	/* rules and versions depend on (signal, value) only: a pair this device
	 * already sent was matched then (devices repeat their announcements) */
	uint32_t h = (uint32_t)vg_hash64(v, len, (uint64_t)s->kind * 0x9e3779b97f4a7c15ull) | 1;
	for (int i = 0; i < d->n_seen; i++)
		if (d->seen[i] == h)
			return;
	if (d->n_seen < VG_INV_SEEN)
		d->seen[d->n_seen++] = h;
	else {
		memmove(d->seen, d->seen + 1, (VG_INV_SEEN - 1) * sizeof *d->seen);
		d->seen[VG_INV_SEEN - 1] = h;
	}
	if (banner && inv->vulns)
		check_vuln(inv, d, v, len);
	if (!inv->rules)
		return;
	int n = vg_dev_rules_match(inv->rules, s->kind, v, len, inv->fp, 8);
	bool changed = false;
	for (int i = 0; i < n; i++) {
		const vg_dev_fp_t *fp = &inv->fp[i];
		vg_inv_ev_t e;
		memset(&e, 0, sizeof e);
		const char *sn = vg_dev_sig_name(s->kind);
		set_str(e.signal, sizeof e.signal, sn, strlen(sn));
		set_str(e.value, sizeof e.value, v, len);
		if (fp->rule_id)
			set_str(e.rule, sizeof e.rule, fp->rule_id, strlen(fp->rule_id));
		e.cls = (uint8_t)fp->cls;
		e.confidence = fp->confidence;
		changed |= ev_add(inv, d, &e) > 0;
		if (fp->model[0] && !d->model[0])
			set_str(d->model, sizeof d->model, fp->model, strlen(fp->model));
		if (fp->firmware[0] && !d->firmware[0])
			set_str(d->firmware, sizeof d->firmware, fp->firmware, strlen(fp->firmware));
		if (fp->vendor && !d->vendor[0] && !d->randomised) /* randomised: no vendor */
			set_str(d->vendor, sizeof d->vendor, fp->vendor, strlen(fp->vendor));
	}
	if (changed)
		vg_inv_reclassify(d);
}

/* flow: vg_inv_flow once the client is known to be a usable local address */
static vg_inv_dev_t *flow(vg_inv_t *inv, const uint8_t *cli_mac, const vg_ip_t *cli,
			  const vg_ip_t *srv, uint16_t port, uint8_t proto, uint64_t ts_us,
			  const char *name, const char *cc, vg_inv_dest_t **dest, bool *is_new);

vg_inv_dev_t *vg_inv_flow(vg_inv_t *inv, const uint8_t *cli_mac, const vg_ip_t *cli,
			  const vg_ip_t *srv, uint16_t port, uint8_t proto, uint64_t ts_us,
			  const char *name, const char *cc, vg_inv_dest_t **dest, bool *is_new)
{
	*dest = NULL;
	*is_new = false;
	if (ip_zero(cli) || !vg_inv_is_local(inv, cli))
		return NULL;
	return flow(inv, cli_mac, cli, srv, port, proto, ts_us, name, cc, dest, is_new);
}

static vg_inv_dev_t *flow(vg_inv_t *inv, const uint8_t *cli_mac, const vg_ip_t *cli,
			  const vg_ip_t *srv, uint16_t port, uint8_t proto, uint64_t ts_us,
			  const char *name, const char *cc, vg_inv_dest_t **dest, bool *is_new)
{
	vg_inv_dev_t *d = resolve_l(inv, cli_mac, cli, ts_us, false, true, true);
	if (!d)
		return NULL;
	if (ts_us > d->last_us) {
		d->last_us = ts_us;
		touch(inv, d);
	}
	if (vg_inv_is_local(inv, srv) || ip_zero(srv))
		return d; /* local, multicast or broadcast: not a remote destination */
	vg_inv_dest_t *x = dest_find(d, srv, port, proto);
	if (!x) {
		if (!(x = dest_new(inv, d)))
			return d;
		x->ip = *srv;
		x->port = port;
		x->proto = proto;
		x->first_us = ts_us;
		dest_index(d);
		*is_new = true;
	}
	if (name && name[0] && !x->name[0])
		x->name = intern(inv, name);
	if (cc && cc[0] && !x->cc[0])
		set_str(x->cc, sizeof x->cc, cc, strlen(cc));
	x->flows++;
	if (ts_us > x->last_us)
		x->last_us = ts_us;
	x->dirty = true;
	touch(inv, d);
	*dest = x;
	return d;
}

void vg_inv_flow_batch(vg_inv_t *inv, vg_inv_flowreq_t *const *r, int n,
		       void (*done)(void *ctx, vg_inv_flowreq_t *r), void *ctx)
{
	vg_inv_dev_t *hint[VG_INV_BATCH];
	uint32_t slot[VG_INV_BATCH];
	if (n > VG_INV_BATCH)
		n = VG_INV_BATCH;
	/* 1: the index slots */
	for (int i = 0; i < n; i++) {
		if (r[i]->has_mac)
			__builtin_prefetch(&inv->mact[vg_hash_u64(mac_key(r[i]->mac)) & inv->macmask]);
		else
			__builtin_prefetch(&inv->ipt[ip_home(inv, &r[i]->cli)]);
	}
	/* 2: the devices (read-only lookups; nothing changes before step 5) */
	for (int i = 0; i < n; i++) {
		hint[i] = r[i]->has_mac ? vg_inv_by_mac(inv, r[i]->mac) : vg_inv_by_ip(inv, &r[i]->cli);
		if (hint[i])
			__builtin_prefetch(hint[i]);
	}
	/* 3: their destination index slots */
	for (int i = 0; i < n; i++) {
		vg_inv_dev_t *d = hint[i];
		if (d && d->didx) {
			slot[i] = dest_hash(&r[i]->srv, r[i]->port, r[i]->proto) & d->dmask;
			__builtin_prefetch(&d->didx[slot[i]]);
		} else {
			hint[i] = NULL;
		}
	}
	/* 4: the destinations */
	for (int i = 0; i < n; i++)
		if (hint[i] && hint[i]->didx[slot[i]])
			__builtin_prefetch(&hint[i]->dests[hint[i]->didx[slot[i]] - 1]);
	/* 5: apply, in order */
	for (int i = 0; i < n; i++) {
		vg_inv_flowreq_t *q = r[i];
		q->dest = NULL;
		q->is_new = false;
		q->dev = ip_zero(&q->cli) || !vg_inv_is_local(inv, &q->cli) ? NULL
			 : flow(inv, q->has_mac ? q->mac : NULL, &q->cli, &q->srv, q->port, q->proto,
				q->ts_us, NULL, NULL, &q->dest, &q->is_new);
		done(ctx, q);
	}
}

void vg_inv_dest_name(vg_inv_t *inv, vg_inv_dest_t *x, const char *name)
{
	if (name && name[0] && !x->name[0]) {
		x->name = intern(inv, name);
		x->dirty = true;
	}
}

void vg_inv_alert(vg_inv_t *inv, vg_inv_dev_t *d, const char *signature, bool indicator,
		  uint64_t ts_us)
{
	d->alerts++;
	if (indicator)
		d->risk |= VG_RISK_INDICATOR;
	memmove(d->last_alerts[1], d->last_alerts[0],
		(VG_INV_LAST_ALERTS - 1) * sizeof d->last_alerts[0]);
	set_str(d->last_alerts[0], sizeof d->last_alerts[0], signature, strlen(signature));
	if (d->n_last < VG_INV_LAST_ALERTS)
		d->n_last++;
	if (ts_us > d->last_us)
		d->last_us = ts_us;
	mark(inv, d);
}

uint32_t vg_inv_count(const vg_inv_t *inv)
{
	return inv->n_devs;
}

vg_inv_dev_t *vg_inv_get(const vg_inv_t *inv, uint32_t i)
{
	return i < inv->n_devs ? inv->devs[i] : NULL;
}

void vg_inv_mac_text(const uint8_t mac[6], char *buf)
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		buf[i * 3] = hx[mac[i] >> 4];
		buf[i * 3 + 1] = hx[mac[i] & 15];
		buf[i * 3 + 2] = i < 5 ? ':' : 0;
	}
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vg_inv_mac_parse(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return VG_EINVAL;
	for (int i = 0; i < 6; i++) {
		int h = hexv(s[i * 3]), l = hexv(s[i * 3 + 1]);
		if (h < 0 || l < 0 || (i < 5 && s[i * 3 + 2] != ':' && s[i * 3 + 2] != '-'))
			return VG_EINVAL;
		mac[i] = (uint8_t)(h << 4 | l);
	}
	return 0;
}

const char *vg_inv_key(const vg_inv_dev_t *d, char *buf, size_t n)
{
	if (d->has_mac && n >= 18)
		vg_inv_mac_text(d->mac, buf);
	else if (d->n_ips)
		vg_ip_format(&d->ips[0], buf, n);
	else
		snprintf(buf, n, "#%u", d->id);
	return buf;
}

vg_inv_dev_t *vg_inv_find(const vg_inv_t *inv, const char *text)
{
	uint8_t mac[6];
	vg_ip_t ip;
	if (!vg_inv_mac_parse(text, mac))
		return vg_inv_by_mac(inv, mac);
	if (!vg_ip_parse(text, strlen(text), &ip)) {
		vg_inv_dev_t *d = vg_inv_by_ip(inv, &ip);
		if (d)
			return d;
		for (uint32_t i = 0; i < inv->n_devs; i++) /* a former address */
			for (int k = 0; k < inv->devs[i]->n_ips; k++)
				if (!memcmp(&inv->devs[i]->ips[k], &ip, sizeof ip))
					return inv->devs[i];
		return NULL;
	}
	const char *p = text[0] == '#' ? text + 1 : text;
	char *end;
	unsigned long id = strtoul(p, &end, 10);
	if (*p && !*end)
		for (uint32_t i = 0; i < inv->n_devs; i++)
			if (inv->devs[i]->id == id)
				return inv->devs[i];
	return NULL;
}

int vg_inv_restore(vg_inv_t *inv, const vg_inv_dev_t *src, vg_inv_dev_t **out)
{
	*out = NULL;
	if (src->has_mac && vg_inv_by_mac(inv, src->mac))
		return VG_EINVAL;
	if (!src->has_mac && src->n_ips) {
		/* an IP-only device loses only to a device whose CURRENT address it is */
		const vg_inv_dev_t *h = vg_inv_by_ip(inv, &src->ips[0]);
		if (h && h->n_ips && !memcmp(&h->ips[0], &src->ips[0], sizeof src->ips[0]))
			return VG_EINVAL;
	}
	for (uint32_t i = 0; i < inv->n_devs; i++)
		if (inv->devs[i]->id == src->id)
			return VG_EINVAL;
	if (inv->n_devs >= inv->lim.max_devices) {
		inv->st.devices_dropped++;
		return VG_ELIMIT;
	}
	vg_inv_dev_t *d = malloc(sizeof *d);
	if (!d)
		return VG_ENOMEM;
	*d = *src;
	d->dests = NULL;
	d->didx = NULL;
	d->n_dests = d->cap_dests = d->dmask = 0;
	d->ev = NULL;
	d->n_ev = 0;
	d->n_seen = 0;
	for (int i = 0; i < src->n_ev && i < VG_INV_MAX_EVIDENCE; i++)
		ev_add(inv, d, &src->ev[i]);
	d->dirty = d->touched = false;
	if (d->n_ips > VG_INV_MAX_IPS)
		d->n_ips = VG_INV_MAX_IPS;
	/* keep id order */
	uint32_t pos = inv->n_devs;
	while (pos && inv->devs[pos - 1]->id > d->id)
		pos--;
	memmove(&inv->devs[pos + 1], &inv->devs[pos], (inv->n_devs - pos) * sizeof *inv->devs);
	inv->devs[pos] = d;
	inv->n_devs++;
	if (d->id >= inv->next_id)
		inv->next_id = d->id + 1;
	if (d->has_mac) {
		macslot_t *s = mac_slot(inv, mac_key(d->mac));
		s->key = mac_key(d->mac);
		s->d = d;
	}
	for (int i = 0; i < d->n_ips; i++) {
		ipslot_t *s = ip_slot(inv, &d->ips[i]);
		if (!s->d || i == 0) { /* current addresses win over former ones */
			s->ip = d->ips[i];
			s->d = d;
		}
	}
	*out = d;
	return 0;
}

int vg_inv_dest_add(vg_inv_t *inv, vg_inv_dev_t *d, const vg_inv_dest_t *x, const char *name)
{
	if (dest_find(d, &x->ip, x->port, x->proto))
		return 0;
	vg_inv_dest_t *n = dest_new(inv, d);
	if (!n)
		return VG_ELIMIT;
	*n = *x;
	n->name = intern(inv, name);
	n->dirty = false;
	n->checked = false;
	dest_index(d);
	return 0;
}

uint32_t vg_inv_take_deleted(vg_inv_t *inv, uint32_t *ids, uint32_t max)
{
	uint32_t n = inv->n_deleted < max ? inv->n_deleted : max;
	if (!n)
		return 0;
	memcpy(ids, inv->deleted, n * sizeof *ids);
	memmove(inv->deleted, inv->deleted + n, (inv->n_deleted - n) * sizeof *ids);
	inv->n_deleted -= n;
	return n;
}

bool vg_inv_dirty(const vg_inv_t *inv)
{
	return inv->dirty || inv->n_deleted;
}

void vg_inv_clean(vg_inv_t *inv)
{
	for (uint32_t i = 0; i < inv->n_devs; i++) {
		vg_inv_dev_t *d = inv->devs[i];
		if (!d->dirty && !d->touched)
			continue;
		d->dirty = d->touched = false;
		for (uint32_t k = 0; k < d->n_dests; k++)
			d->dests[k].dirty = false;
	}
	inv->dirty = false;
}

void vg_inv_get_stats(const vg_inv_t *inv, vg_inv_stats_t *st)
{
	*st = inv->st;
}
