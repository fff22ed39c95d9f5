// SPDX-License-Identifier: Apache-2.0
/*
 * ssdp.c — SSDP / UPnP discovery parser for passive fingerprinting
 * (UPnP Device Architecture 1.1/2.0, section 1).
 *
 * Input: one UDP datagram (port 1900, or an answer to M-SEARCH sent from
 * the device's own port).  A NOTIFY (ssdp:alive/byebye) and an HTTP/1.x 200
 * answer to M-SEARCH describe their sender: SERVER ("Linux/3.10 UPnP/1.0
 * ..."), USN, NT or ST (one kind, ssdp.nt), LOCATION (device description
 * URL), plus upnp.from_device ("notify" / "response": the device itself
 * speaks UPnP).  M-SEARCH requests come from control points (clients) and
 * say nothing about a device: ignored.  Header names are matched
 * case-insensitively; at most SSDP_MAX_LINES header lines are read.
 */
#include <string.h>

#include "dev/parse.h"
#include "lib/rd.h"

#define SSDP_MAX_LINES 48

int vg_dev_ssdp(vg_dev_emit_t *e, const uint8_t *p, size_t n)
{
	int n0 = e->n;
	vg_rd_t r = vg_rd_make(p, n);
	const uint8_t *s;
	size_t k;
	if (!vg_dev_line(&r, &s, &k))
		return 0;
	const char *what;
	if (vg_dev_casepfx(s, k, "NOTIFY * HTTP/1."))
		what = "notify";
	else if (vg_dev_casepfx(s, k, "HTTP/1.0 200") || vg_dev_casepfx(s, k, "HTTP/1.1 200"))
		what = "response";
	else
		return 0;
	struct {
		int kind;
		const uint8_t *v;
		size_t n;
	} got[4] = {{VG_SIG_SSDP_SERVER, NULL, 0},
		    {VG_SIG_SSDP_USN, NULL, 0},
		    {VG_SIG_SSDP_NT, NULL, 0},
		    {VG_SIG_SSDP_LOCATION, NULL, 0}};
	bool usn = false;
	const uint8_t *name, *val;
	size_t nl, vl;
	for (int i = 0; i < SSDP_MAX_LINES && vg_dev_hdr_next(&r, &name, &nl, &val, &vl); i++) {
		int slot = -1;
		if (vg_dev_hdr_is(name, nl, "SERVER"))
			slot = 0;
		else if (vg_dev_hdr_is(name, nl, "USN"))
			slot = 1, usn = true;
		else if (vg_dev_hdr_is(name, nl, "NT") || vg_dev_hdr_is(name, nl, "ST"))
			slot = 2;
		else if (vg_dev_hdr_is(name, nl, "LOCATION") || vg_dev_hdr_is(name, nl, "AL"))
			slot = 3;
		if (slot >= 0 && !got[slot].v) {
			got[slot].v = val;
			got[slot].n = vl;
		}
	}
	/* an HTTP 200 without USN is not an SSDP answer (some other UDP) */
	if (!usn && !got[2].v)
		return 0;
	vg_dev_emit_str(e, VG_SIG_UPNP_FROM_DEVICE, what);
	for (int i = 0; i < 4; i++)
		if (got[i].v)
			vg_dev_emit(e, got[i].kind, got[i].v, got[i].n, 0);
	return e->n - n0;
}
