/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dev/profile.h — behaviour baselines: which destinations a device (or a
 * class of devices) may talk to.  In the spirit of RFC 8520 (MUD): a profile
 * is a list of allow entries, each a domain (the name and its subdomains) or
 * a network (CIDR), optionally restricted to ports.  File format (JSON):
 *
 *   {"vigil-profiles": 1,
 *    "profiles": [
 *      {"name": "cameras", "class": "camera",
 *       "allow": [{"domain": "hik-connect.com", "ports": ["tcp/443"]},
 *                 {"network": "203.0.113.0/24"},
 *                 {"network": "0.0.0.0/0", "ports": ["udp/123"]}]},
 *      {"name": "lobby-cam", "device": "a4:14:37:00:00:01", "allow": [...]}]}
 *
 * A device's profile is the one naming its MAC (or IP, for MAC-less
 * devices), else the one for its class; a device with neither is not
 * policed.  A destination (ip, port, proto) is allowed when some entry
 * matches it: a network containing ip, or a domain equal to or a parent of
 * the name ip was resolved from (the caller's DNS observations); and the
 * entry has no ports or lists "proto/port".
 *
 * Immutable after loading: lookups are thread-safe.
 */
#ifndef VG_DEV_PROFILE_H
#define VG_DEV_PROFILE_H

#include "dev/inventory.h"
#include "lib/buf.h"

#include <stdbool.h>
#include <stdint.h>

#define VG_PROF_FORMAT 1

typedef struct vg_prof vg_prof_t;           /* a loaded file */
typedef struct vg_prof_one vg_prof_one_t;   /* one profile */

/* vg_prof_load: parse path.  0, VG_EIO, VG_EFORMAT (err names the file,
 * the profile index and the field), VG_EVERSION, VG_ENOMEM. */
int vg_prof_load(vg_prof_t **out, const char *path, char *err, size_t errlen);
/* vg_prof_parse: the same from text (name used in messages). */
int vg_prof_parse(vg_prof_t **out, const char *name, const char *text, size_t len, char *err,
		  size_t errlen);
void vg_prof_free(vg_prof_t *p);
/* vg_prof_count: number of profiles. */
int vg_prof_count(const vg_prof_t *p);

/* vg_prof_for: the profile governing d, or NULL. */
const vg_prof_one_t *vg_prof_for(const vg_prof_t *p, const vg_inv_dev_t *d);
/* vg_prof_name: its "name" ("" when none). */
const char *vg_prof_name(const vg_prof_one_t *pr);
/* vg_prof_allows: see above; name may be NULL or "". */
bool vg_prof_allows(const vg_prof_one_t *pr, const vg_ip_t *ip, uint16_t port, uint8_t proto,
		    const char *name);

/*
 * vg_prof_learn: propose profiles (the format above, indented JSON, with a
 * trailing newline) into out: one per device that has destinations last
 * seen at or after since_us, matched by MAC (else IP); entries are the
 * names the destinations were resolved from (else their addresses as /32
 * or /128), each with the ports seen; sorted.  Returns the number of
 * profiles, or VG_ENOMEM.
 */
int vg_prof_learn(const vg_inv_t *inv, uint64_t since_us, vg_buf_t *out);

#endif
