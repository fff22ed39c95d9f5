// SPDX-License-Identifier: Apache-2.0
/*
 * test_hub_client_send.c — the sighting sender's threads (src/hub/client.c)
 * against an in-process HTTP server (libmicrohttpd on 127.0.0.1, a port the
 * kernel picks) that answers a scripted sequence of statuses:
 *  - while the hub answers 503 / 429 / a dropped connection, batches stay
 *    spooled and are retried with backoff DURING the run; once it answers
 *    200, every batch arrives, in order, and the counted total equals the
 *    sightings given (nothing lost, nothing twice: the server dedups);
 *  - a 400 is not retried: the batch is dropped from the queue (counted as
 *    rejected) and the next one is sent;
 *  - the request carries the Bearer token, X-Vigil-Sensor and JSON.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hub/client.h"
#include "vigil/common.h"
#include "vigil/intel.h"

#include <jansson.h>
#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXB 256

typedef struct srv {
	pthread_mutex_t mu;
	int script[16];      /* statuses for the first requests; 0 = close without reply */
	int n_script;
	int requests;
	char ids[MAXB][40];  /* batch ids counted */
	int n_ids;
	long long total;     /* sightings counted (count fields of new batches) */
	int dups;
	bool bad_headers;
	struct MHD_Daemon *d;
	unsigned short port;
} srv_t;

static srv_t S;

typedef struct conn {
	char *body;
	size_t len;
} conn_t;

static enum MHD_Result reply(struct MHD_Connection *c, int status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **ptr)
{
	conn_t *k = *ptr;
	if (!k) {
		*ptr = calloc(1, sizeof(conn_t));
		return MHD_YES;
	}
	if (*upload_size) {
		k->body = realloc(k->body, k->len + *upload_size + 1);
		memcpy(k->body + k->len, upload, *upload_size);
		k->len += *upload_size;
		k->body[k->len] = 0;
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&S.mu);
	int i = S.requests++;
	int status = i < S.n_script ? S.script[i] : 200;
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
	const char *sensor = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Vigil-Sensor");
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (strcmp(url, "/sightings") || strcmp(method, "POST") || !auth ||
	    strcmp(auth, "Bearer vgt_test") || !sensor || strcmp(sensor, "unit-1") || !ct ||
	    strcmp(ct, "application/json"))
		S.bad_headers = true;
	char out[256] = "{}";
	if (status == 200) {
		json_t *j = json_loadb(k->body ? k->body : "", k->len, 0, NULL);
		const char *id = json_string_value(json_object_get(j, "batch_id"));
		bool dup = false;
		for (int b = 0; id && b < S.n_ids; b++)
			dup |= !strcmp(S.ids[b], id);
		if (id && !dup && S.n_ids < MAXB) {
			snprintf(S.ids[S.n_ids++], 40, "%s", id);
			json_t *arr = json_object_get(j, "sightings");
			for (size_t x = 0; x < json_array_size(arr); x++)
				S.total += json_integer_value(json_object_get(json_array_get(arr, x), "count"));
		}
		S.dups += dup;
		snprintf(out, sizeof out, "{\"batch_id\":\"%s\",\"accepted\":1,\"duplicate\":%s}",
			 id ? id : "", dup ? "true" : "false");
		json_decref(j);
	} else if (status >= 400) {
		snprintf(out, sizeof out, "{\"error\":\"scripted %d\",\"where\":\"sightings[0].count\"}",
			 status);
	}
	pthread_mutex_unlock(&S.mu);
	if (status == 0)
		return MHD_NO; /* close without a reply */
	return reply(c, status, out);
}

static void completed(void *cls, struct MHD_Connection *c, void **ptr,
		      enum MHD_RequestTerminationCode toe)
{
	conn_t *k = *ptr;
	if (k) {
		free(k->body);
		free(k);
	}
	*ptr = NULL;
}

static void srv_start(const int *script, int n)
{
	memset(&S, 0, sizeof S);
	pthread_mutex_init(&S.mu, NULL);
	if (n)
		memcpy(S.script, script, (size_t)n * sizeof *script);
	S.n_script = n;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	S.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
			       handler, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			       MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, MHD_OPTION_SOCK_ADDR, &sa,
			       MHD_OPTION_END);
	assert_non_null(S.d);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(S.d, MHD_DAEMON_INFO_BIND_PORT);
	S.port = di->port;
	assert_true(S.port > 0);
}

static void srv_stop(void)
{
	MHD_stop_daemon(S.d);
	pthread_mutex_destroy(&S.mu);
}

static char logs[8192];
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static void logcb(void *ctx, int level, const char *msg)
{
	pthread_mutex_lock(&log_mu);
	size_t n = strlen(logs);
	snprintf(logs + n, sizeof logs - n, "%d %s\n", level, msg);
	pthread_mutex_unlock(&log_mu);
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static vg_hub_client_t *client_n(uint32_t max_entries)
{
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", S.port);
	vg_hub_client_cfg_t cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.url = url;
	cfg.token = "vgt_test";
	cfg.sensor = "unit-1";
	cfg.interval_ms = 100;
	cfg.backoff_max_s = 1;
	cfg.timeout_s = 5;
	cfg.log = logcb;
	cfg.max_entries = max_entries;
	vg_hub_client_t *c = NULL;
	assert_int_equal(vg_hub_client_start(&c, &cfg), 0);
	return c;
}

static vg_hub_client_t *client(void) { return client_n(0); }

/* feed sightings for about ms milliseconds; returns how many */
static long long feed(vg_hub_client_t *c, int ms)
{
	long long n = 0;
	char ind[32];
	for (int t = 0; t < ms / 10; t++) {
		for (int i = 0; i < 5; i++) {
			snprintf(ind, sizeof ind, "h%d.example", (t + i) % 7);
			vg_hub_client_sighting(c, ind, "domain", i % 2 ? "camera" : NULL, VG_TLP_GREEN,
					       1795777200000000ull + (uint64_t)t * 10000);
			n++;
		}
		sleep_ms(10);
	}
	return n;
}

/* Rule: during an outage (503, 429, dropped connection) batches are kept and
 * retried with backoff while the sensor runs; afterwards every sighting is
 * counted exactly once. */
static void test_retry_during_run(void **st)
{
	int script[] = {503, 429, 0, 503};
	srv_start(script, 4);
	logs[0] = 0;
	vg_hub_client_t *c = client();
	long long n = feed(c, 2500);
	vg_hub_client_stats_t cs;
	for (int w = 0; w < 100; w++) { /* until the outage is over (backoff <= 1 s) */
		vg_hub_client_get_stats(c, &cs);
		pthread_mutex_lock(&S.mu);
		bool over = S.requests > S.n_script;
		pthread_mutex_unlock(&S.mu);
		if (over && !cs.pending)
			break;
		sleep_ms(100);
	}
	vg_hub_client_stop(c);
	vg_hub_client_get_stats(c, &cs);
	assert_int_equal(cs.sightings, n);
	assert_int_equal(cs.dropped, 0);
	assert_int_equal(cs.pending, 0);
	/* 4 failing replies; libcurl itself retries a request once when a reused
	 * connection was closed without a reply, so 3 or 4 failed attempts */
	assert_in_range(cs.retries, 3, 4);
	assert_int_equal(cs.rejected, 0);
	assert_int_equal(cs.sent + cs.duplicates, cs.batches);
	assert_true(cs.batches >= 5);
	assert_int_equal(S.total, n);
	assert_int_equal(S.n_ids, (int)cs.sent);
	assert_false(S.bad_headers);
	/* one warning for the outage, one line when the hub is back */
	assert_non_null(strstr(logs, "1 hub: cannot send to http://127.0.0.1:"));
	assert_non_null(strstr(logs, "HTTP 503: scripted 503 at sightings[0].count; "));
	assert_non_null(strstr(logs, "reachable again"));
	vg_hub_client_free(c);
	srv_stop();
}

/* Rule: a 4xx other than 408/429 is not retried: the batch is rejected
 * (logged with the hub's error) and the following ones still go. */
static void test_reject_not_retried(void **st)
{
	int script[] = {400};
	srv_start(script, 1);
	logs[0] = 0;
	vg_hub_client_t *c = client();
	vg_hub_client_sighting(c, "a.example", "domain", "pc", VG_TLP_AMBER, 1795777200000000ull);
	sleep_ms(400);
	vg_hub_client_sighting(c, "b.example", "domain", "pc", VG_TLP_AMBER, 1795777200000000ull);
	sleep_ms(400);
	vg_hub_client_stop(c);
	vg_hub_client_stats_t cs;
	vg_hub_client_get_stats(c, &cs);
	assert_int_equal(cs.batches, 2);
	assert_int_equal(cs.rejected, 1);
	assert_int_equal(cs.sent, 1);
	assert_int_equal(cs.retries, 0);
	assert_int_equal(S.total, 1);
	assert_non_null(strstr(logs, "rejected: HTTP 400: scripted 400 at sightings[0].count (dropped)"));
	vg_hub_client_free(c);
	srv_stop();
}

/* Rule: new keys beyond the table's size in one interval are dropped,
 * counted and warned about; known keys still count. */
static void test_table_full_counted(void **st)
{
	srv_start(NULL, 0);
	logs[0] = 0;
	vg_hub_client_t *c = client_n(2);
	const char *k[] = {"a.example", "b.example", "c.example", "a.example", "d.example"};
	for (int i = 0; i < 5; i++)
		vg_hub_client_sighting(c, k[i], "domain", NULL, VG_TLP_GREEN, 1795777200000000ull);
	vg_hub_client_stop(c);
	vg_hub_client_stats_t cs;
	vg_hub_client_get_stats(c, &cs);
	assert_int_equal(cs.sightings, 5);
	assert_int_equal(cs.dropped, 2);
	assert_int_equal(S.total, 3);
	assert_non_null(strstr(logs, "1 hub: 2 sightings dropped: aggregation table full (2 entries per interval)"));
	vg_hub_client_free(c);
	srv_stop();
}

/* Rule: start refuses a missing URL or sensor name. */
static void test_start_args(void **st)
{
	vg_hub_client_cfg_t cfg;
	memset(&cfg, 0, sizeof cfg);
	vg_hub_client_t *c = NULL;
	assert_int_equal(vg_hub_client_start(&c, &cfg), VG_EINVAL);
	cfg.url = "http://127.0.0.1:1";
	assert_int_equal(vg_hub_client_start(&c, &cfg), VG_EINVAL);
	assert_null(c);
	vg_hub_client_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_during_run),
		cmocka_unit_test(test_reject_not_retried),
		cmocka_unit_test(test_table_full_counted),
		cmocka_unit_test(test_start_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
