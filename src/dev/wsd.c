// SPDX-License-Identifier: Apache-2.0
/*
 * wsd.c — WS-Discovery (ONVIF) parser for passive fingerprinting
 * (WS-Discovery 1.1 / 2005-04 as ONVIF uses it, UDP 3702).
 *
 * Input: one SOAP envelope.  Only messages in which a device describes
 * itself count: ProbeMatch(es), ResolveMatch(es), Hello; a Probe carries
 * the Types a client is looking for and must not be attributed to it.  The
 * scan (dev/xmlscan.h) collects the first WSD_MAX_ITEMS Types / Scopes /
 * XAddrs texts, then, when such a message was seen, emits wsd.types (the
 * whole list), one wsd.scope per whitespace-separated URI (ONVIF scopes
 * carry hardware, name, location: onvif://www.onvif.org/hardware/DS-2CD),
 * and wsd.xaddrs.  XML entities are decoded; bounded by the datagram size.
 */
#include <string.h>

#include "dev/parse.h"
#include "dev/xmlscan.h"
#include "lib/rd.h"

#define WSD_MAX_ITEMS 16
#define WSD_MAX_SCOPES 32

int vg_dev_wsd(vg_dev_emit_t *e, const uint8_t *p, size_t n)
{
	int n0 = e->n;
	struct {
		int kind;
		const uint8_t *v;
		size_t n;
	} it[WSD_MAX_ITEMS];
	int nit = 0;
	bool device = false;
	vg_rd_t r = vg_rd_make(p, n);
	xml_tag_t t;
	while (xml_next(&r, &t)) {
		if (t.close)
			continue;
		if (xml_is(&t, "ProbeMatches") || xml_is(&t, "ProbeMatch") || xml_is(&t, "Hello") ||
		    xml_is(&t, "ResolveMatches") || xml_is(&t, "ResolveMatch")) {
			device = true;
			continue;
		}
		int kind = xml_is(&t, "Types")	  ? VG_SIG_WSD_TYPES
			   : xml_is(&t, "Scopes") ? VG_SIG_WSD_SCOPE
			   : xml_is(&t, "XAddrs") ? VG_SIG_WSD_XADDRS
						  : 0;
		if (kind && !t.empty && nit < WSD_MAX_ITEMS) {
			it[nit].kind = kind;
			it[nit].v = t.text;
			it[nit].n = t.tlen;
			nit++;
		}
	}
	if (!device)
		return 0;
	for (int i = 0; i < nit; i++) {
		if (it[i].kind != VG_SIG_WSD_SCOPE) {
			vg_dev_emit(e, it[i].kind, it[i].v, it[i].n, VG_SAN_XML);
			continue;
		}
		vg_rd_t s = vg_rd_make(it[i].v, it[i].n);
		for (int k = 0; k < WSD_MAX_SCOPES && vg_rd_left(&s) > 0; k++) {
			while (vg_rd_left(&s) > 0) {
				uint8_t c = *vg_rd_ptr(&s);
				if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
					break;
				vg_rd_skip(&s, 1);
			}
			const uint8_t *a = vg_rd_ptr(&s);
			size_t l = 0;
			while (vg_rd_left(&s) > 0) {
				uint8_t c = *vg_rd_ptr(&s);
				if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
					break;
				vg_rd_skip(&s, 1);
				l++;
			}
			if (l)
				vg_dev_emit(e, VG_SIG_WSD_SCOPE, a, l, VG_SAN_XML);
		}
	}
	return e->n - n0;
}
