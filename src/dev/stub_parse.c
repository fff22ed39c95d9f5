// SPDX-License-Identifier: Apache-2.0
/*
 * stub_parse.c — TEMPORARY weak stand-ins for the dev-parse branch's
 * parsers, OUI table, rules and vulnerable-version table (dev/dev.h,
 * dev/vuln.h), so the inventory side links and its tests run before that
 * branch is merged.  Deleted when dev-parse is merged; every definition is
 * weak so a real one always wins.
 */
#include "dev/dev.h"
#include "dev/vuln.h"

#define W __attribute__((weak))

W const char *vg_dev_sig_name(int kind) { (void)kind; return ""; }
W int vg_dev_sig_kind(const char *name) { (void)name; return VG_SIG_NONE; }
W int vg_dev_observe(const vg_pkt_t *p, const vg_flow_t *f, int dir, uint32_t *flow_bits,
		     uint64_t ts_us, vg_dev_scratch_t *scratch, vg_dev_sig_fn cb, void *ctx)
{
	(void)p; (void)f; (void)dir; (void)flow_bits; (void)ts_us; (void)scratch; (void)cb; (void)ctx;
	return 0;
}
W const char *vg_oui_vendor(const uint8_t mac[6]) { (void)mac; return NULL; }
W const char *vg_dev_class_name(int cls)
{
	static const char *const n[] = {"unknown", "camera", "dvr", "router", "printer", "pc", "phone"};
	return cls >= 0 && cls < VG_CLASS__COUNT ? n[cls] : "unknown";
}
W int vg_dev_class_parse(const char *name)
{
	for (int i = 0; i < VG_CLASS__COUNT; i++)
		if (!__builtin_strcmp(name, vg_dev_class_name(i)))
			return i;
	return -1;
}
W int vg_dev_rules_load(vg_dev_rules_t **out, const char *path, char *err, size_t errlen)
{ (void)path; (void)err; (void)errlen; *out = NULL; return VG_ENOTSUP; }
W int vg_dev_rules_builtin(vg_dev_rules_t **out) { *out = NULL; return 0; }
W int vg_dev_rules_add(vg_dev_rules_t *r, const char *path, char *err, size_t errlen)
{ (void)r; (void)path; (void)err; (void)errlen; return VG_ENOTSUP; }
W const char *vg_dev_rules_version(const vg_dev_rules_t *r) { (void)r; return ""; }
W void vg_dev_rules_free(vg_dev_rules_t *r) { (void)r; }
W int vg_dev_rules_match(const vg_dev_rules_t *r, int kind, const char *value, size_t len,
			 vg_dev_fp_t *out, int max)
{ (void)r; (void)kind; (void)value; (void)len; (void)out; (void)max; return 0; }
W int vg_vulns_builtin(vg_vulns_t **out) { *out = NULL; return 0; }
W int vg_vulns_load(vg_vulns_t **out, const char *path, char *err, size_t errlen)
{ (void)path; (void)err; (void)errlen; *out = NULL; return VG_ENOTSUP; }
W int vg_vulns_add(vg_vulns_t *v, const char *path, char *err, size_t errlen)
{ (void)v; (void)path; (void)err; (void)errlen; return VG_ENOTSUP; }
W const char *vg_vulns_version(const vg_vulns_t *v) { (void)v; return ""; }
W void vg_vulns_free(vg_vulns_t *v) { (void)v; }
W int vg_vuln_component(const char *text, size_t len, char comp[32], char ver[48])
{ (void)text; (void)len; comp[0] = ver[0] = 0; return 0; }
W int vg_vuln_check(const vg_vulns_t *v, const char *component, const char *version,
		    vg_vuln_hit_t *out, int max)
{ (void)v; (void)component; (void)version; (void)out; (void)max; return 0; }
W int vg_vuln_text(const vg_vulns_t *v, const char *text, size_t len, vg_vuln_hit_t *out, int max)
{ (void)v; (void)text; (void)len; (void)out; (void)max; return 0; }
W int vg_version_cmp(const char *a, const char *b) { return __builtin_strcmp(a, b); }
