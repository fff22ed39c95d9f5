// SPDX-License-Identifier: Apache-2.0
/*
 * profile.c — allowed-destination profiles (format and rules in profile.h).
 *
 * Loading uses jansson (profiles are small, read once); the loaded form is
 * flat arrays: a profile holds its entries, an entry its ports.  Lookups
 * are linear scans: they run once per new (device, destination) pair, not
 * per packet.  Learning walks the inventory and builds a jansson tree that
 * is dumped with sorted, deterministic content.
 */
#include "dev/profile.h"

#include "lib/file.h"
#include "lib/timefmt.h"
#include "watch/foreign.h" /* vg_foreign_parse_net */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PORTS 32

typedef struct ace {
	char *domain;      /* lowercase, no trailing dot; NULL for a network */
	vg_ip_t net;
	uint8_t pfx;
	int n_ports;
	uint16_t port[MAX_PORTS];
	uint8_t proto[MAX_PORTS]; /* 0 = any protocol */
} ace_t;

struct vg_prof_one {
	char *name;
	int cls;           /* -1 when the profile names a device */
	bool has_mac, has_ip;
	uint8_t mac[6];
	vg_ip_t ip;
	ace_t *ace;
	int n_ace;
};

struct vg_prof {
	vg_prof_one_t *p;
	int n;
};

static int perr(char *err, size_t errlen, const char *name, int i, const char *what)
{
	if (i >= 0)
		snprintf(err, errlen, "%s: profile %d: %s", name, i + 1, what);
	else
		snprintf(err, errlen, "%s: %s", name, what);
	return VG_EFORMAT;
}

static int parse_port(const char *s, uint16_t *port, uint8_t *proto)
{
	const char *slash = strchr(s, '/');
	const char *num = s;
	*proto = 0;
	if (slash) {
		size_t n = (size_t)(slash - s);
		if (n == 3 && !strncasecmp(s, "tcp", 3))
			*proto = 6;
		else if (n == 3 && !strncasecmp(s, "udp", 3))
			*proto = 17;
		else if (n == 4 && !strncasecmp(s, "sctp", 4))
			*proto = 132;
		else if (!(n == 3 && !strncasecmp(s, "any", 3)))
			return -1;
		num = slash + 1;
	}
	if (!*num || strlen(num) > 5)
		return -1;
	unsigned v = 0;
	for (const char *p = num; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int parse_one(vg_prof_one_t *pr, json_t *o, const char *name, int i, char *err,
		     size_t errlen)
{
	char msg[256];
	if (!json_is_object(o))
		return perr(err, errlen, name, i, "not an object");
	const char *nm = json_string_value(json_object_get(o, "name"));
	pr->name = strdup(nm ? nm : "");
	pr->cls = -1;
	json_t *cls = json_object_get(o, "class"), *dev = json_object_get(o, "device");
	if (!!cls == !!dev)
		return perr(err, errlen, name, i, "needs exactly one of \"class\" and \"device\"");
	if (cls) {
		const char *c = json_string_value(cls);
		if (!c || (pr->cls = vg_dev_class_parse(c)) < 0) {
			snprintf(msg, sizeof msg, "unknown class \"%s\"", c ? c : "");
			return perr(err, errlen, name, i, msg);
		}
	} else {
		const char *d = json_string_value(dev);
		if (d && !vg_inv_mac_parse(d, pr->mac))
			pr->has_mac = true;
		else if (d && !vg_ip_parse(d, strlen(d), &pr->ip))
			pr->has_ip = true;
		else {
			snprintf(msg, sizeof msg, "\"device\" \"%s\" is not a MAC or IP address",
				 d ? d : "");
			return perr(err, errlen, name, i, msg);
		}
	}
	json_t *allow = json_object_get(o, "allow");
	if (!json_is_array(allow))
		return perr(err, errlen, name, i, "\"allow\" must be an array");
	pr->ace = calloc(json_array_size(allow) + 1, sizeof *pr->ace);
	if (!pr->ace)
		return VG_ENOMEM;
	size_t k;
	json_t *e;
	json_array_foreach(allow, k, e) {
		ace_t *a = &pr->ace[pr->n_ace];
		const char *dom = json_string_value(json_object_get(e, "domain"));
		const char *net = json_string_value(json_object_get(e, "network"));
		if (!json_is_object(e) || !!dom == !!net) {
			snprintf(msg, sizeof msg, "allow[%zu]: needs exactly one of \"domain\" and "
				 "\"network\"", k);
			return perr(err, errlen, name, i, msg);
		}
		if (dom) {
			size_t n = strlen(dom);
			while (n && dom[n - 1] == '.')
				n--;
			if (!n || n > 253) {
				snprintf(msg, sizeof msg, "allow[%zu]: bad domain \"%s\"", k, dom);
				return perr(err, errlen, name, i, msg);
			}
			if (!(a->domain = strndup(dom, n)))
				return VG_ENOMEM;
			for (char *p = a->domain; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
		} else if (vg_foreign_parse_net(net, &a->net, &a->pfx)) {
			snprintf(msg, sizeof msg, "allow[%zu]: bad network \"%s\"", k, net);
			return perr(err, errlen, name, i, msg);
		}
		pr->n_ace++; /* owned from here (freed with the profile on error) */
		json_t *ports = json_object_get(e, "ports");
		if (ports && !json_is_array(ports)) {
			snprintf(msg, sizeof msg, "allow[%zu]: \"ports\" must be an array", k);
			return perr(err, errlen, name, i, msg);
		}
		size_t q;
		json_t *pv;
		json_array_foreach(ports, q, pv) {
			const char *ps = json_string_value(pv);
			if (a->n_ports >= MAX_PORTS || !ps ||
			    parse_port(ps, &a->port[a->n_ports], &a->proto[a->n_ports])) {
				snprintf(msg, sizeof msg, "allow[%zu]: bad port \"%s\" (PROTO/PORT, e.g. "
					 "tcp/443; at most %d)", k, ps ? ps : "", MAX_PORTS);
				return perr(err, errlen, name, i, msg);
			}
			a->n_ports++;
		}
	}
	return 0;
}

int vg_prof_parse(vg_prof_t **out, const char *name, const char *text, size_t len, char *err,
		  size_t errlen)
{
	*out = NULL;
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root) {
		snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text);
		return VG_EFORMAT;
	}
	int r = 0;
	json_t *ver = json_object_get(root, "vigil-profiles");
	json_t *arr = json_object_get(root, "profiles");
	if (!json_is_integer(ver)) {
		r = perr(err, errlen, name, -1, "missing \"vigil-profiles\": 1");
		goto out;
	}
	if (json_integer_value(ver) != VG_PROF_FORMAT) {
		snprintf(err, errlen, "%s: profile format %lld not supported (%d)", name,
			 (long long)json_integer_value(ver), VG_PROF_FORMAT);
		r = VG_EVERSION;
		goto out;
	}
	if (!json_is_array(arr)) {
		r = perr(err, errlen, name, -1, "\"profiles\" must be an array");
		goto out;
	}
	vg_prof_t *p = calloc(1, sizeof *p);
	if (!p || !(p->p = calloc(json_array_size(arr) + 1, sizeof *p->p))) {
		free(p);
		r = VG_ENOMEM;
		goto out;
	}
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		p->n++;
		if ((r = parse_one(&p->p[i], o, name, (int)i, err, errlen)))
			break;
	}
	if (r) {
		if (r == VG_ENOMEM)
			snprintf(err, errlen, "%s: out of memory", name);
		vg_prof_free(p);
	} else {
		*out = p;
	}
out:
	json_decref(root);
	return r;
}

int vg_prof_load(vg_prof_t **out, const char *path, char *err, size_t errlen)
{
	char *data;
	size_t len;
	*out = NULL;
	int r = vg_file_read(path, 64u << 20, &data, &len);
	if (r) {
		snprintf(err, errlen, "%s: cannot read: %s", path, vg_strerror(r));
		return r;
	}
	r = vg_prof_parse(out, path, data, len, err, errlen);
	free(data);
	return r;
}

void vg_prof_free(vg_prof_t *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		for (int k = 0; k < p->p[i].n_ace; k++)
			free(p->p[i].ace[k].domain);
		free(p->p[i].ace);
		free(p->p[i].name);
	}
	free(p->p);
	free(p);
}

int vg_prof_count(const vg_prof_t *p)
{
	return p ? p->n : 0;
}

const vg_prof_one_t *vg_prof_for(const vg_prof_t *p, const vg_inv_dev_t *d)
{
	if (!p)
		return NULL;
	for (int i = 0; i < p->n; i++) {
		const vg_prof_one_t *pr = &p->p[i];
		if (pr->has_mac && d->has_mac && !memcmp(pr->mac, d->mac, 6))
			return pr;
		if (pr->has_ip && !d->has_mac && d->n_ips && !memcmp(&pr->ip, &d->ips[0], 16))
			return pr;
	}
	for (int i = 0; i < p->n; i++)
		if (p->p[i].cls >= 0 && p->p[i].cls == d->cls)
			return &p->p[i];
	return NULL;
}

const char *vg_prof_name(const vg_prof_one_t *pr)
{
	return pr->name ? pr->name : "";
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

static bool dom_match(const char *dom, const char *name)
{
	size_t dn = strlen(dom), nn = strlen(name);
	while (nn && name[nn - 1] == '.')
		nn--;
	if (nn < dn || strncasecmp(name + nn - dn, dom, dn))
		return false;
	return nn == dn || name[nn - dn - 1] == '.';
}

bool vg_prof_allows(const vg_prof_one_t *pr, const vg_ip_t *ip, uint16_t port, uint8_t proto,
		    const char *name)
{
	for (int i = 0; i < pr->n_ace; i++) {
		const ace_t *a = &pr->ace[i];
		if (a->domain ? !(name && name[0] && dom_match(a->domain, name))
			      : !in_net(ip, &a->net, a->pfx))
			continue;
		if (!a->n_ports)
			return true;
		for (int k = 0; k < a->n_ports; k++)
			if (a->port[k] == port && (!a->proto[k] || a->proto[k] == proto))
				return true;
	}
	return false;
}

/* ---- learning ------------------------------------------------------------------------------ */

static const char *pname(uint8_t p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == 132 ? "sctp" : "any";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* entries of one device: key text -> sorted unique "proto/port" strings */
typedef struct lent {
	char key[128];
	bool dom;
	char *ports[MAX_PORTS];
	int n_ports;
} lent_t;

static int cmp_lent(const void *a, const void *b)
{
	const lent_t *x = a, *y = b;
	if (x->dom != y->dom)
		return x->dom ? -1 : 1; /* domains first */
	return strcmp(x->key, y->key);
}

int vg_prof_learn(const vg_inv_t *inv, uint64_t since_us, vg_buf_t *out)
{
	json_t *root = json_object(), *arr = json_array();
	int n = 0, r = 0;
	if (!root || !arr) {
		json_decref(root);
		json_decref(arr);
		return VG_ENOMEM;
	}
	json_object_set_new(root, "vigil-profiles", json_integer(VG_PROF_FORMAT));
	json_object_set_new(root, "profiles", arr);
	for (uint32_t i = 0; i < vg_inv_count(inv) && !r; i++) {
		const vg_inv_dev_t *d = vg_inv_get(inv, i);
		lent_t *ents = calloc(d->n_dests + 1, sizeof *ents);
		if (!ents) {
			r = VG_ENOMEM;
			break;
		}
		int ne = 0;
		for (uint32_t k = 0; k < d->n_dests; k++) {
			const vg_inv_dest_t *x = &d->dests[k];
			if (x->last_us < since_us)
				continue;
			char key[128];
			bool dom = x->name[0] != 0;
			if (dom) {
				snprintf(key, sizeof key, "%s", x->name);
				for (char *p = key; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p + 32);
			} else {
				char ip[64];
				vg_ip_format(&x->ip, ip, sizeof ip);
				snprintf(key, sizeof key, "%s/%d", ip, vg_ip_is4(&x->ip) ? 32 : 128);
			}
			int e = 0;
			while (e < ne && (ents[e].dom != dom || strcmp(ents[e].key, key)))
				e++;
			if (e == ne) {
				memcpy(ents[ne].key, key, sizeof key);
				ents[ne].dom = dom;
				ne++;
			}
			char ps[16];
			snprintf(ps, sizeof ps, "%s/%u", pname(x->proto), x->port);
			bool have = false;
			for (int q = 0; q < ents[e].n_ports; q++)
				have |= !strcmp(ents[e].ports[q], ps);
			if (!have && ents[e].n_ports < MAX_PORTS) {
				if (!(ents[e].ports[ents[e].n_ports] = strdup(ps)))
					r = VG_ENOMEM;
				else
					ents[e].n_ports++;
			}
		}
		if (ne && !r) {
			qsort(ents, (size_t)ne, sizeof *ents, cmp_lent);
			json_t *o = json_object(), *allow = json_array();
			char key[48], nm[80];
			vg_inv_key(d, key, sizeof key);
			snprintf(nm, sizeof nm, "learned %s", key);
			json_object_set_new(o, "name", json_string(nm));
			json_object_set_new(o, "device", json_string(key));
			if (d->cls)
				json_object_set_new(o, "seen_class", json_string(vg_dev_class_name(d->cls)));
			for (int e = 0; e < ne; e++) {
				json_t *a = json_object(), *ports = json_array();
				json_object_set_new(a, ents[e].dom ? "domain" : "network",
						    json_string(ents[e].key));
				qsort(ents[e].ports, (size_t)ents[e].n_ports, sizeof(char *), cmp_str);
				for (int q = 0; q < ents[e].n_ports; q++)
					json_array_append_new(ports, json_string(ents[e].ports[q]));
				json_object_set_new(a, "ports", ports);
				json_array_append_new(allow, a);
			}
			json_object_set_new(o, "allow", allow);
			json_array_append_new(arr, o);
			n++;
		}
		for (int e = 0; e < ne; e++)
			for (int q = 0; q < ents[e].n_ports; q++)
				free(ents[e].ports[q]);
		free(ents);
	}
	if (!r) {
		char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s)
			r = VG_ENOMEM;
		else {
			vg_buf_adds(out, s);
			vg_buf_addc(out, '\n');
			free(s);
			if (out->oom)
				r = VG_ENOMEM;
		}
	}
	json_decref(root);
	return r ? r : n;
}
