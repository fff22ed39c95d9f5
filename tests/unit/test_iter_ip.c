// SPDX-License-Identifier: Apache-2.0
/*
 * test_iter_ip.c — vg_store_foreach_ip: every exact IPv4, exact IPv6 and
 * CIDR of a store is visited exactly once (values listed twice or by two
 * feeds included), nothing else is, and a non-zero return stops the walk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "intel/iter_ip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FEED[] = "10.1.2.3\n"
			   "10.1.2.3\n"          /* duplicate */
			   "192.0.2.0/24\n"
			   "192.0.2.0/24\n"      /* duplicate CIDR */
			   "198.51.100.7:8080\n" /* ip:port: not visited */
			   "2001:db8::5\n"
			   "2001:db8:1::/48\n"
			   "evil.example\n"
			   "http://evil.example/x\n"
			   "d41d8cd98f00b204e9800998ecf8427e\n"
			   "203.0.113.1\n";

static vg_store_t *load(const char *text)
{
	vg_builder_opts_t bo = {.allow_reserved = true};
	vg_builder_t *b = vg_builder_new(&bo);
	assert_non_null(b);
	vg_load_opts_t lo = {0};
	vg_load_report_t rep;
	assert_int_equal(vg_feed_load_mem(b, "t", text, strlen(text), &lo, &rep), 0);
	/* the same address from a second feed (another meta) */
	assert_int_equal(vg_feed_load_mem(b, "u", "10.1.2.3\n", 9, &lo, &rep), 0);
	vg_store_t *s = NULL;
	assert_int_equal(vg_builder_build(b, &s), 0);
	vg_builder_free(b);
	return s;
}

typedef struct acc {
	char out[1024];
	size_t len;
	int calls, stop_after;
} acc_t;

static int visit(void *ctx, const vg_ip_t *net, unsigned prefix)
{
	acc_t *a = ctx;
	char ip[64];
	vg_ip_format(net, ip, sizeof ip);
	a->len += (size_t)snprintf(a->out + a->len, sizeof a->out - a->len, "%s/%u\n", ip, prefix);
	a->calls++;
	return a->stop_after && a->calls == a->stop_after ? 42 : 0;
}

/* Rule: exact IPv4 ascending, then exact IPv6, then CIDRs; each once; the
 * prefix is in the IPv6 space (exact = 128, a v4 /24 = 120). */
static void test_visits_each_network_once(void **st)
{
	(void)st;
	vg_store_t *s = load(FEED);
	acc_t a = {0};
	assert_int_equal(vg_store_foreach_ip(s, visit, &a), 0);
	assert_string_equal(a.out, "10.1.2.3/128\n"
				   "203.0.113.1/128\n"
				   "2001:db8::5/128\n"
				   "192.0.2.0/120\n"
				   "2001:db8:1::/48\n");
	vg_store_free(s);
}

/* Rule: a non-zero return from fn stops the walk and is returned. */
static void test_stop(void **st)
{
	(void)st;
	vg_store_t *s = load(FEED);
	acc_t a = {.stop_after = 2};
	assert_int_equal(vg_store_foreach_ip(s, visit, &a), 42);
	assert_int_equal(a.calls, 2);
	vg_store_free(s);
}

/* Rule: an empty store visits nothing. */
static void test_empty(void **st)
{
	(void)st;
	vg_store_t *s = NULL;
	assert_int_equal(vg_store_empty(&s), 0);
	acc_t a = {0};
	assert_int_equal(vg_store_foreach_ip(s, visit, &a), 0);
	assert_int_equal(a.calls, 0);
	vg_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_visits_each_network_once),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
