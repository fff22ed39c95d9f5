// SPDX-License-Identifier: Apache-2.0
/*
 * test_hub_client_feeds.c — the feed renderer's fast STIX field scan
 * (src/hub/feeds_scan.c) and the access class (feeds.c):
 *  - the scan reads exactly what jansson reads (escapes, \u with surrogate
 *    pairs, nesting, duplicate keys, non-integer confidence), on fixed
 *    cases and on 2000 random objects serialised by jansson in three styles;
 *  - long strings are cut at a UTF-8 character boundary;
 *  - malformed text is refused (VG_EFORMAT: the renderer falls back);
 *  - two principals of one org with the same relations share an access
 *    class; another org, or one more group, does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hub/routes_cli.h"
#include "vigil/common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what jansson says the fields are (strings assumed short enough) */
static void expect_fields(const char *text, vg_hub_stix_fields_t *f)
{
	memset(f, 0, sizeof *f);
	f->confidence = -1;
	json_t *o = json_loads(text, 0, NULL);
	assert_non_null(o);
	const char *keys[] = {"name", "description", "valid_from", "valid_until"};
	char *dst[] = {f->name, f->description, f->valid_from, f->valid_until};
	size_t cap[] = {sizeof f->name, sizeof f->description, sizeof f->valid_from,
			sizeof f->valid_until};
	for (int i = 0; i < 4; i++) {
		const char *v = json_string_value(json_object_get(o, keys[i]));
		snprintf(dst[i], cap[i], "%s", v ? v : "");
	}
	json_t *refs = json_object_get(o, "external_references");
	for (size_t i = 0; !f->reference[0] && i < json_array_size(refs); i++) {
		const char *u = json_string_value(json_object_get(json_array_get(refs, i), "url"));
		if (u)
			snprintf(f->reference, sizeof f->reference, "%s", u);
	}
	json_t *c = json_object_get(o, "confidence");
	if (json_is_integer(c) && json_integer_value(c) >= 0 && json_integer_value(c) <= 100)
		f->confidence = (int)json_integer_value(c);
	json_decref(o);
}

static void same(const char *text)
{
	vg_hub_stix_fields_t got, want;
	expect_fields(text, &want);
	if (vg_hub_stix_fields(text, strlen(text), &got) != 0)
		fail_msg("scan refused valid JSON: %s", text);
	assert_string_equal(got.name, want.name);
	assert_string_equal(got.description, want.description);
	assert_string_equal(got.valid_from, want.valid_from);
	assert_string_equal(got.valid_until, want.valid_until);
	assert_string_equal(got.reference, want.reference);
	assert_int_equal(got.confidence, want.confidence);
}

/* Rule: the scan agrees with jansson on hand-written objects. */
static void test_fixed(void **st)
{
	same("{\"type\":\"indicator\",\"name\":\"APT32 C2\",\"confidence\":80,"
	     "\"valid_from\":\"2026-11-01T00:00:00Z\",\"valid_until\":\"2027-01-01T00:00:00Z\","
	     "\"external_references\":[{\"source_name\":\"x\"},{\"source_name\":\"y\",\"url\":\"https://r.example/a\"}]}");
	same(" {\n \"labels\" : [ \"a\" , {\"x\":[1,2,{\"y\":null}]} ] ,\n \"name\" : "
	     "\"q\\\"u\\\\o\\/te\\n\\t\\u00e9\\ud83d\\ude00\" , \"description\":\"d\" } ");
	same("{\"name\":\"first\",\"name\":\"second\",\"confidence\":50.0}");
	same("{\"confidence\":101,\"description\":\"only a description\",\"name\":7}");
	same("{\"confidence\":-3,\"external_references\":[],\"valid_from\":null}");
	same("{\"confidence\":1e2,\"external_references\":{\"url\":\"not an array\"}}");
	same("{\"confidence\":\"50\",\"external_references\":[{\"url\":5},{\"url\":\"u2\"}]}");
	same("{}");
	same("{\"name\":\"\\u0041\\u00DF\\u6C34\\uD834\\uDD1E\",\"x\":true,\"y\":false,\"z\":-0.5e-3}");
}

/* Rule: malformed text is refused, never misread. */
static void test_malformed(void **st)
{
	const char *bad[] = {"", "[1]", "{", "{\"name\":\"x\"", "{\"name\":\"x\"} x", "{\"name\" \"x\"}",
			     "{\"name\":\"x\",}", "{\"name\":\"\\q\"}", "{\"name\":\"\\ud83d\"}",
			     "{\"name\":\"\\u0000\"}", "{\"a\":[1,2}", "{\"confidence\":-}", "{name:1}",
			     "{\"name\":\"tab\there\"}"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vg_hub_stix_fields_t f;
		if (vg_hub_stix_fields(bad[i], strlen(bad[i]), &f) != VG_EFORMAT)
			fail_msg("accepted malformed: %s", bad[i]);
	}
	/* deeper than 64 levels */
	char deep[400];
	size_t n = 0;
	n += (size_t)snprintf(deep, sizeof deep, "{\"x\":");
	for (int i = 0; i < 80; i++)
		deep[n++] = '[';
	for (int i = 0; i < 80; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = 0;
	vg_hub_stix_fields_t f;
	assert_int_equal(vg_hub_stix_fields(deep, n, &f), VG_EFORMAT);
}

/* Rule: a long name is cut to its field at a character boundary. */
static void test_cut(void **st)
{
	char text[2048];
	size_t n = (size_t)snprintf(text, sizeof text, "{\"name\":\"");
	for (int i = 0; i < 300; i++) { /* 600 bytes of two-byte characters, after one ASCII */
		if (i == 0)
			text[n++] = 'a';
		text[n++] = (char)0xc3;
		text[n++] = (char)0xa9;
	}
	n += (size_t)snprintf(text + n, sizeof text - n, "\",\"description\":\"ok\"}");
	vg_hub_stix_fields_t f;
	assert_int_equal(vg_hub_stix_fields(text, n, &f), 0);
	assert_int_equal(strlen(f.name), 511);  /* 'a' + 255 whole characters */
	assert_int_equal((unsigned char)f.name[509], 0xc3);
	assert_string_equal(f.description, "ok");
}

static unsigned rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static json_t *rnd_string(void)
{
	static const char *const parts[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\xc3\xa9",
					    "\xe6\xb0\xb4", "\xf0\x9f\x98\x80", "x", "1", "\x7f"};
	char s[64];
	size_t n = 0, k = rnd(12);
	for (size_t i = 0; i < k; i++) {
		const char *p = parts[rnd(sizeof parts / sizeof parts[0])];
		size_t l = strlen(p);
		if (n + l >= sizeof s)
			break;
		memcpy(s + n, p, l);
		n += l;
	}
	s[n] = 0;
	return json_string(s);
}

static json_t *rnd_value(int depth)
{
	switch (rnd(depth > 2 ? 5 : 7)) {
	case 0: return rnd_string();
	case 1: return json_integer((json_int_t)rnd(300) - 100);
	case 2: return json_real((double)rnd(1000) / 7.0);
	case 3: return rnd(2) ? json_true() : json_null();
	case 4: return json_false();
	case 5: {
		json_t *a = json_array();
		for (unsigned i = rnd(4); i > 0; i--)
			json_array_append_new(a, rnd_value(depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		for (unsigned i = rnd(4); i > 0; i--) {
			char k[8];
			snprintf(k, sizeof k, "k%u", rnd(5));
			json_object_set_new(o, rnd(4) ? k : "url", rnd_value(depth + 1));
		}
		return o;
	}
	}
}

/* Rule: on random objects serialised by jansson (compact, indented, ASCII
 * with \u escapes) the scan reads the same fields as jansson. */
static void test_random_vs_jansson(void **st)
{
	static const char *const keys[] = {"name", "description", "confidence", "valid_from",
					   "valid_until", "external_references", "type", "pattern"};
	size_t flags[] = {JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII | JSON_COMPACT};
	for (int t = 0; t < 2000; t++) {
		json_t *o = json_object();
		for (unsigned i = rnd(8); i > 0; i--) {
			const char *k = keys[rnd(8)];
			json_t *v;
			if (!strcmp(k, "confidence"))
				v = rnd(3) ? json_integer((json_int_t)rnd(130) - 10) : rnd_value(1);
			else if (!strcmp(k, "external_references"))
				v = rnd(4) ? rnd_value(2) : json_array();
			else
				v = rnd(5) ? rnd_string() : rnd_value(1);
			if (!strcmp(k, "external_references") && json_is_array(v) && rnd(2)) {
				json_t *r = json_object();
				json_object_set_new(r, "url", rnd_string());
				json_array_append_new(v, r);
			}
			json_object_set_new(o, k, v);
		}
		char *text = json_dumps(o, flags[t % 3]);
		assert_non_null(text);
		same(text);
		free(text);
		json_decref(o);
	}
}

/* Rule: the access class depends on the org and its relations only. */
static void test_access_class(void **st)
{
	vg_hub_principal_t a, b;
	memset(&a, 0, sizeof a);
	a.org_id = 7;
	a.ancestors[0] = 1;
	a.n_ancestors = 1;
	a.communities[0] = 3;
	a.n_communities = 1;
	snprintf(a.user, sizeof a.user, "reader");
	a.role = VG_HUB_ROLE_READER;
	b = a;
	snprintf(b.user, sizeof b.user, "sensor-1");
	b.role = VG_HUB_ROLE_SENSOR;
	b.token_id = 99;
	assert_true(vg_hub_access_class(&a) == vg_hub_access_class(&b));
	b.groups[0] = 4;
	b.n_groups = 1;
	assert_true(vg_hub_access_class(&a) != vg_hub_access_class(&b));
	b = a;
	b.org_id = 8;
	assert_true(vg_hub_access_class(&a) != vg_hub_access_class(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_random_vs_jansson),
		cmocka_unit_test(test_access_class),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
