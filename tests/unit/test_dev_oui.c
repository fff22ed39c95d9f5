// SPDX-License-Identifier: Apache-2.0
/*
 * test_dev_oui.c — MAC vendor lookup (src/dev/oui.c): longest prefix wins
 * over MA-L / MA-M / MA-S on a crafted table; multicast and locally
 * administered (randomised) MACs get no vendor; the embedded table built
 * from ieee-data (checked against long-standing assignments, skipped with a
 * message when the build had no ieee-data) drops "Private" entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dev/dev.h"

static const char TABLE[] = "# test table\n"
			    "Big Block Inc\tAABBCC,001122\n"
			    "Medium Sub\tAABBCC5\n"
			    "Small Sub\tAABBCC5DE,AABBCCFFF\n"
			    "No Prefixes\t\n"
			    "Bad\tXYZ,12345\n"
			    "Last Line Without Newline\t0C0B0C";

/* Rule: the 36-bit assignment beats the 28-bit one beats the 24-bit one;
 * outside the sub-blocks the MA-L owner is returned. */
static void t_longest_prefix(void **st)
{
	(void)st;
	vg_oui_tab_t *t;
	assert_int_equal(vg_oui_tab_new(&t, TABLE, strlen(TABLE)), 0);
	assert_int_equal(vg_oui_tab_size(t), 6);
	const uint8_t m1[6] = {0xaa, 0xbb, 0xcc, 0x5d, 0xe1, 0x23}; /* AABBCC5DE */
	const uint8_t m2[6] = {0xaa, 0xbb, 0xcc, 0x5f, 0x00, 0x00}; /* AABBCC5 */
	const uint8_t m3[6] = {0xaa, 0xbb, 0xcc, 0x40, 0x00, 0x00}; /* AABBCC */
	const uint8_t m4[6] = {0xaa, 0xbb, 0xcc, 0xff, 0xf0, 0x00}; /* AABBCCFFF */
	const uint8_t m5[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
	const uint8_t m6[6] = {0x0c, 0x0b, 0x0c, 0x00, 0x00, 0x01};
	const uint8_t none[6] = {0x00, 0x11, 0x23, 0, 0, 0};
	/* AA has bit 1 set (locally administered): use a table copy with C8 */
	assert_null(vg_oui_tab_find(t, m1));
	vg_oui_tab_free(t);
	char t2[sizeof(TABLE)];
	memcpy(t2, TABLE, sizeof(TABLE));
	for (char *p = t2; (p = strstr(p, "AABBCC")); p += 6)
		memcpy(p, "A8BBCC", 6);
	assert_int_equal(vg_oui_tab_new(&t, t2, strlen(t2)), 0);
	uint8_t a[6];
	memcpy(a, m1, 6);
	a[0] = 0xa8;
	assert_string_equal(vg_oui_tab_find(t, a), "Small Sub");
	memcpy(a, m2, 6);
	a[0] = 0xa8;
	assert_string_equal(vg_oui_tab_find(t, a), "Medium Sub");
	memcpy(a, m3, 6);
	a[0] = 0xa8;
	assert_string_equal(vg_oui_tab_find(t, a), "Big Block Inc");
	memcpy(a, m4, 6);
	a[0] = 0xa8;
	assert_string_equal(vg_oui_tab_find(t, a), "Small Sub");
	assert_string_equal(vg_oui_tab_find(t, m5), "Big Block Inc");
	assert_string_equal(vg_oui_tab_find(t, m6), "Last Line Without Newline");
	assert_null(vg_oui_tab_find(t, none));
	/* multicast (bit 0) and locally administered (bit 1): no vendor */
	a[0] = 0xa9;
	assert_null(vg_oui_tab_find(t, a));
	a[0] = 0xaa;
	assert_null(vg_oui_tab_find(t, a));
	assert_null(vg_oui_tab_find(NULL, m5));
	vg_oui_tab_free(t);
	vg_oui_tab_free(NULL);
	assert_int_equal(vg_oui_tab_new(&t, "", 0), 0);
	assert_null(vg_oui_tab_find(t, m5));
	vg_oui_tab_free(t);
}

/* Rule: vg_mac_is_local flags randomised MACs (Android/iOS private
 * addresses have 0x02 set) and vg_oui_vendor gives them no vendor. */
static void t_local(void **st)
{
	(void)st;
	const uint8_t rnd[6] = {0xda, 0xa1, 0x19, 0x00, 0x00, 0x01};
	const uint8_t apple[6] = {0x00, 0x03, 0x93, 0x00, 0x00, 0x01};
	assert_true(vg_mac_is_local(rnd));
	assert_false(vg_mac_is_local(apple));
	assert_null(vg_oui_vendor(rnd));
	assert_null(vg_oui_vendor(NULL));
}

/* Rule: the embedded table (from ieee-data at build time) knows long-
 * standing MA-L assignments, resolves an MA-S block inside an IEEE
 * Registration Authority MA-L, and holds no "Private" names. */
static void t_builtin(void **st)
{
	(void)st;
	const vg_oui_tab_t *t = vg_oui_builtin();
	if (!t || vg_oui_tab_size(t) == 0) {
		fprintf(stderr, "note: built without ieee-data: empty OUI table, vendor lookups are NULL\n");
		const uint8_t apple[6] = {0x00, 0x03, 0x93, 0, 0, 1};
		assert_null(vg_oui_vendor(apple));
		return;
	}
	assert_true(vg_oui_tab_size(t) > 30000);
	const uint8_t apple[6] = {0x00, 0x03, 0x93, 0x12, 0x34, 0x56};
	const uint8_t hik[6] = {0x28, 0x57, 0xbe, 0x00, 0x00, 0x01};
	const uint8_t rpi[6] = {0xb8, 0x27, 0xeb, 0xb8, 0x53, 0xc8};
	const uint8_t mas[6] = {0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x01}; /* MA-S 70B3D5F2F */
	assert_string_equal(vg_oui_vendor(apple), "Apple");
	assert_string_equal(vg_oui_vendor(hik), "Hangzhou Hikvision Digital Technology");
	assert_string_equal(vg_oui_vendor(rpi), "Raspberry Pi Foundation");
	assert_string_equal(vg_oui_vendor(mas), "TELEPLATFORMS");
	/* 74:1A:E0:9x is a "Private" MA-M: dropped, so the lookup falls back
	 * to the MA-L (IEEE RA, also dropped) and finds nothing */
	const uint8_t priv[6] = {0x74, 0x1a, 0xe0, 0x90, 0x00, 0x01};
	const char *v = vg_oui_vendor(priv);
	assert_true(v == NULL || strcmp(v, "Private") != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_longest_prefix),
		cmocka_unit_test(t_local),
		cmocka_unit_test(t_builtin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
