// SPDX-License-Identifier: Apache-2.0
/*
 * sadp.c — Hikvision SADP parser for passive fingerprinting (the XML
 * flavour on UDP 37020 that SADP tools and devices exchange on the LAN).
 *
 * A client's <Probe> carries only Uuid and Types; a device answers (and
 * announces itself) with a <ProbeMatch> holding DeviceType, DeviceDescription
 * (the model, e.g. DS-2CD2142FWD-I), DeviceSN, MAC ("c0-56-e3-..."),
 * IPv4Address, SoftwareVersion ("V5.4.5build 170124") and more.  Only a
 * ProbeMatch is attributed.  DeviceType is a numeric code on many devices:
 * it becomes sadp.model only when it is not a number.  The MAC is
 * normalised to "aa:bb:cc:dd:ee:ff"; IPv4Address, when it parses, becomes
 * the signals' ip (the device's configured address, which may differ from
 * the packet source on a misconfigured device).  The older binary SADP
 * (Ethernet type 0x8033) is not parsed.
 */
#include <string.h>

#include "dev/parse.h"
#include "dev/xmlscan.h"
#include "lib/rd.h"

enum { F_TYPE, F_DESC, F_SW, F_SN, F_MAC, F_IP, F__N };

static bool all_digits(const uint8_t *s, size_t n)
{
	size_t d = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return d > 0;
}

static int hexv(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "c0-56-e3-aa-bb-cc" / "c0:56:..." / "c056e3aabbcc" -> "c0:56:e3:aa:bb:cc". */
static bool mac_text(const uint8_t *s, size_t n, char out[18])
{
	int k = 0, half = -1;
	for (size_t i = 0; i < n && k < 6; i++) {
		int v = hexv(s[i]);
		if (v < 0) {
			if (s[i] == '-' || s[i] == ':' || s[i] == ' ' || s[i] == '.')
				continue;
			return false;
		}
		if (half < 0)
			half = v;
		else {
			static const char H[] = "0123456789abcdef";
			out[k * 3] = H[half];
			out[k * 3 + 1] = H[v];
			out[k * 3 + 2] = k == 5 ? 0 : ':';
			k++;
			half = -1;
		}
	}
	return k == 6;
}

int vg_dev_sadp(vg_dev_emit_t *e, const uint8_t *p, size_t n)
{
	int n0 = e->n;
	const uint8_t *v[F__N] = {0};
	size_t l[F__N] = {0};
	bool match = false;
	vg_rd_t r = vg_rd_make(p, n);
	xml_tag_t t;
	while (xml_next(&r, &t)) {
		if (t.close || t.empty)
			continue;
		int f = -1;
		if (xml_is(&t, "ProbeMatch"))
			match = true;
		else if (xml_is(&t, "DeviceType"))
			f = F_TYPE;
		else if (xml_is(&t, "DeviceDescription"))
			f = F_DESC;
		else if (xml_is(&t, "SoftwareVersion"))
			f = F_SW;
		else if (xml_is(&t, "DeviceSN"))
			f = F_SN;
		else if (xml_is(&t, "MAC"))
			f = F_MAC;
		else if (xml_is(&t, "IPv4Address"))
			f = F_IP;
		if (f >= 0 && !v[f]) {
			v[f] = t.text;
			l[f] = t.tlen;
		}
	}
	if (!match)
		return 0;
	if (v[F_IP]) {
		char ip[48];
		size_t k = vg_dev_sanitize(ip, sizeof(ip), v[F_IP], l[F_IP], 0);
		vg_ip_t a;
		if (k && vg_ip_parse(ip, k, &a) == 0 && vg_ip_is4(&a) && vg_ip_v4(&a) != 0)
			e->s.ip = a;
	}
	if (v[F_DESC])
		vg_dev_emit(e, VG_SIG_SADP_MODEL, v[F_DESC], l[F_DESC], VG_SAN_XML);
	if (v[F_TYPE] && !all_digits(v[F_TYPE], l[F_TYPE]))
		vg_dev_emit(e, VG_SIG_SADP_MODEL, v[F_TYPE], l[F_TYPE], VG_SAN_XML);
	if (v[F_SW])
		vg_dev_emit(e, VG_SIG_SADP_FIRMWARE, v[F_SW], l[F_SW], VG_SAN_XML);
	if (v[F_SN])
		vg_dev_emit(e, VG_SIG_SADP_SERIAL, v[F_SN], l[F_SN], VG_SAN_XML);
	char mac[18];
	if (v[F_MAC] && mac_text(v[F_MAC], l[F_MAC], mac))
		vg_dev_emit_str(e, VG_SIG_SADP_MAC, mac);
	return e->n - n0;
}
