// SPDX-License-Identifier: Apache-2.0
/*
 * test_feed_alert.c — the stale-feed alert event (vg_watch_emit_feed_alert)
 * that `vigil watch --max-age` writes through the engine's output: its EVE
 * fields, its signature text (ages in d/h/m/s) and that it counts as an alert.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "watch/engine.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct cap {
	char line[4096];
	int n;
} cap_t;

static void on_line(void *ctx, const char *line, size_t len)
{
	cap_t *c = ctx;
	assert_true(len < sizeof c->line);
	memcpy(c->line, line, len);
	c->line[len] = 0;
	c->n++;
}

typedef struct fx {
	vg_store_t *s;
	vg_watch_t *w;
	cap_t cap;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	vg_watch_cfg_t cfg;
	vg_watch_cfg_default(&cfg);
	assert_int_equal(vg_store_empty(&f->s), 0);
	assert_int_equal(vg_watch_new(&f->w, &cfg, f->s, on_line, &f->cap), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	vg_watch_free(f->w);
	vg_store_free(f->s);
	free(f);
	return 0;
}

/* 2020-01-01T00:00:00Z */
#define T2020 1577836800

static json_t *emit(fx_t *f, int64_t age, int64_t max)
{
	vg_watch_emit_feed_alert(f->w, (uint64_t)(T2020 + age) * 1000000u, "apt-c2", 41, T2020, max);
	json_error_t e;
	json_t *j = json_loads(f->cap.line, 0, &e);
	assert_non_null(j);
	return j;
}

static const char *jstr(json_t *j, const char *a, const char *b)
{
	json_t *o = b ? json_object_get(json_object_get(j, a), b) : json_object_get(j, a);
	assert_true(json_is_string(o));
	return json_string_value(o);
}

static json_int_t jint(json_t *j, const char *a, const char *b)
{
	json_t *o = json_object_get(json_object_get(j, a), b);
	assert_true(json_is_integer(o));
	return json_integer_value(o);
}

/* Rule: the event is an EVE alert with sid 8800090, category feed-health and
 * the vigil{feed, seq, feed_time, age_s, max_age_s} fields; its timestamp is
 * the "now" given; it is counted in the alert statistics. */
static void test_fields(void **state)
{
	fx_t *f = *state;
	json_t *j = emit(f, 2 * 86400 + 3 * 3600, 86400);
	assert_int_equal(f->cap.n, 1);
	assert_string_equal(jstr(j, "event_type", NULL), "alert");
	assert_string_equal(jstr(j, "timestamp", NULL), "2020-01-03T03:00:00.000000+0000");
	assert_int_equal(jint(j, "alert", "signature_id"), 8800090);
	assert_int_equal(jint(j, "alert", "severity"), 2);
	assert_string_equal(jstr(j, "alert", "category"), "feed-health");
	assert_string_equal(jstr(j, "alert", "signature"),
			    "VIGIL stale feed: apt-c2 is 2d 3h old (max 1d)");
	assert_string_equal(jstr(j, "vigil", "feed"), "apt-c2");
	assert_int_equal(jint(j, "vigil", "seq"), 41);
	assert_string_equal(jstr(j, "vigil", "feed_time"), "2020-01-01T00:00:00Z");
	assert_int_equal(jint(j, "vigil", "age_s"), 2 * 86400 + 3 * 3600);
	assert_int_equal(jint(j, "vigil", "max_age_s"), 86400);
	assert_null(json_object_get(j, "src_ip"));
	json_decref(j);
	vg_watch_stats_t st;
	vg_watch_get_stats(f->w, &st);
	assert_int_equal(st.alerts, 1);
	assert_int_equal(st.events, 1);
}

/* Rule: ages read as days and hours, hours and minutes (a zero second part
 * dropped), whole minutes, or seconds. */
static void test_age_text(void **state)
{
	fx_t *f = *state;
	json_t *j = emit(f, 5400, 3600);
	assert_string_equal(jstr(j, "alert", "signature"),
			    "VIGIL stale feed: apt-c2 is 1h 30m old (max 1h)");
	json_decref(j);
	j = emit(f, 7 * 86400, 90 * 60);
	assert_string_equal(jstr(j, "alert", "signature"),
			    "VIGIL stale feed: apt-c2 is 7d old (max 1h 30m)");
	json_decref(j);
	j = emit(f, 45, 30);
	assert_string_equal(jstr(j, "alert", "signature"),
			    "VIGIL stale feed: apt-c2 is 45s old (max 30s)");
	json_decref(j);
	j = emit(f, 150, 120);
	assert_string_equal(jstr(j, "alert", "signature"),
			    "VIGIL stale feed: apt-c2 is 2m old (max 2m)");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_age_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
