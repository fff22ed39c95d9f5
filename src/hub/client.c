// SPDX-License-Identifier: Apache-2.0
/*
 * client.c — the sensor's sighting sender (hub/client.h): the packet
 * thread aggregates, a sender thread spools and POSTs.
 *
 * Hand-off: two aggregation tables; the packet thread adds to `cur` under
 * a spin lock that the sender takes only to swap `cur` and `spare` (two
 * pointer writes), so the packet thread never waits on I/O or the network.
 * Every interval the sender swaps, renders the old table into batches of
 * at most VG_HUB_BATCH_MAX sightings with fresh UUIDv4 ids, writes each to
 * the spool (fsync) BEFORE any send attempt, then POSTs the spool's batches
 * oldest first.  200 (new or duplicate:true) -> delete; connection errors,
 * 408, 429 and 5xx -> retry later with exponential backoff (1 s doubling
 * up to backoff_max_s); any other status -> the batch goes to rejected/
 * with the hub's error.  The hub deduplicates by (org, batch_id), so a
 * reply lost after the hub committed costs one duplicate reply, never a
 * double count.  The spool and libcurl handle belong to the sender thread.
 */
#include "hub/client.h"
#include "hub/spool.h"
#include "vigil/common.h"

#include <curl/curl.h>
#include <jansson.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vg_hub_client {
	vg_hub_client_cfg_t cfg;
	char *url, *token, *sensor, *ca, *spool_dir; /* owned copies */
	pthread_spinlock_t lock;
	vg_hub_agg_t *cur, *spare;   /* cur: packet thread under lock; spare: sender */
	atomic_uint_fast64_t sightings;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop, stopped, started;
	pthread_t th;
	vg_hub_spool_t *spool;
	CURL *curl;
	vg_buf_t body, resp;
	/* counters: written by the sender, read under mu */
	vg_hub_client_stats_t st;
	bool down;                   /* last attempt failed: log once per outage */
};

__attribute__((format(printf, 3, 4))) static void logf_(vg_hub_client_t *c, int lvl,
							 const char *fmt, ...)
{
	if (!c->cfg.log)
		return;
	char m[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	c->cfg.log(c->cfg.log_ctx, lvl, m);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void vg_hub_client_sighting(vg_hub_client_t *c, const char *indicator, const char *type,
			    const char *device_class, int tlp, uint64_t ts_us)
{
	atomic_fetch_add_explicit(&c->sightings, 1, memory_order_relaxed);
	pthread_spin_lock(&c->lock);
	vg_hub_agg_add(c->cur, indicator, type, device_class, tlp, ts_us);
	pthread_spin_unlock(&c->lock);
}

/* ---- sender side ---------------------------------------------------------------------- */

static void count(vg_hub_client_t *c, uint64_t *field, uint64_t by)
{
	pthread_mutex_lock(&c->mu);
	*field += by;
	pthread_mutex_unlock(&c->mu);
}

/* swap the tables and spool what the packet thread aggregated */
static void harvest(vg_hub_client_t *c)
{
	pthread_spin_lock(&c->lock);
	vg_hub_agg_t *full = c->cur;
	c->cur = c->spare;
	c->spare = full;
	pthread_spin_unlock(&c->lock);
	/* `full` is the sender's now: its drops are read (and reset by clear) here */
	uint64_t d = vg_hub_agg_dropped(full);
	if (d) {
		logf_(c, VG_HUB_LOG_WARN,
		      "hub: %llu sightings dropped: aggregation table full (%u entries per interval)",
		      (unsigned long long)d, c->cfg.max_entries);
		count(c, &c->st.dropped, d);
	}
	uint32_t n = vg_hub_agg_count(full);
	for (uint32_t from = 0; from < n; from += VG_HUB_BATCH_MAX) {
		uint32_t k = n - from < VG_HUB_BATCH_MAX ? n - from : VG_HUB_BATCH_MAX;
		char id[37];
		if (vg_hub_uuid4(id)) {
			logf_(c, VG_HUB_LOG_ERR, "hub: no randomness for a batch id; %u sightings lost", k);
			continue;
		}
		vg_buf_reset(&c->body);
		if (vg_hub_batch_json(&c->body, id, c->sensor, full, from, k)) {
			logf_(c, VG_HUB_LOG_ERR, "hub: out of memory; %u sightings lost", k);
			continue;
		}
		if (vg_hub_spool_put(c->spool, id, c->body.p, c->body.len) == 0)
			count(c, &c->st.batches, 1);
	}
	vg_hub_agg_clear(full);
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ctx)
{
	vg_buf_t *b = ctx;
	size_t n = sz * nm;
	if (b->len + n > 65536) /* replies are small; keep the start */
		n = b->len < 65536 ? 65536 - b->len : 0;
	vg_buf_add(b, p, n);
	return sz * nm;
}

enum { SEND_OK, SEND_RETRY, SEND_REJECT };

/* POST one batch; fills why (for retry/reject) and *dup */
static int post(vg_hub_client_t *c, const char *json, size_t len, bool *dup, char *why,
		size_t wn)
{
	CURL *h = c->curl;
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	vg_buf_t t = VG_BUF_INIT;
	curl_easy_reset(h);
	vg_buf_reset(&c->resp);
	vg_buf_adds(&t, c->url);
	vg_buf_adds(&t, "/sightings");
	curl_easy_setopt(h, CURLOPT_URL, t.p ? t.p : "");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)c->cfg.timeout_s);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "vigil-watch");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->resp);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "Expect:");
	if (c->token) {
		vg_buf_reset(&t);
		vg_buf_addf(&t, "Authorization: Bearer %s", c->token);
		if (!t.oom)
			hdr = curl_slist_append(hdr, t.p);
	}
	vg_buf_reset(&t);
	vg_buf_addf(&t, "X-Vigil-Sensor: %s", c->sensor);
	if (!t.oom)
		hdr = curl_slist_append(hdr, t.p);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(hdr);
	vg_buf_release(&t);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	if (rc != CURLE_OK) {
		snprintf(why, wn, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return SEND_RETRY;
	}
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	json_t *j = c->resp.len ? json_loadb(c->resp.p, c->resp.len, 0, NULL) : NULL;
	int r;
	if (code == 200) {
		*dup = json_is_true(json_object_get(j, "duplicate"));
		r = SEND_OK;
	} else {
		const char *e = json_string_value(json_object_get(j, "error"));
		const char *w = json_string_value(json_object_get(j, "where"));
		snprintf(why, wn, "HTTP %ld%s%s%s%s", code, e ? ": " : "", e ? e : "",
			 w ? " at " : "", w ? w : "");
		r = (code == 408 || code == 429 || code >= 500) ? SEND_RETRY : SEND_REJECT;
	}
	json_decref(j);
	return r;
}

/* send spooled batches in order until empty, a retryable failure, or
 * (when stopping) the first failure.  Returns true when a retry is due. */
static bool drain(vg_hub_client_t *c)
{
	for (;;) {
		char *json = NULL;
		size_t len = 0;
		const char *id = NULL;
		int r = vg_hub_spool_peek(c->spool, &json, &len, &id);
		pthread_mutex_lock(&c->mu);
		c->st.corrupt = vg_hub_spool_corrupt(c->spool);
		c->st.spool_dropped = vg_hub_spool_dropped(c->spool);
		c->st.pending = vg_hub_spool_count(c->spool);
		pthread_mutex_unlock(&c->mu);
		if (r)
			return false;
		bool dup = false;
		char why[512] = "";
		int s = post(c, json, len, &dup, why, sizeof why);
		free(json);
		if (s == SEND_OK) {
			if (c->down)
				logf_(c, VG_HUB_LOG_INFO, "hub: %s reachable again; sending the spool", c->url);
			c->down = false;
			vg_hub_spool_ack(c->spool);
			count(c, dup ? &c->st.duplicates : &c->st.sent, 1);
		} else if (s == SEND_REJECT) {
			vg_hub_spool_reject(c->spool, why);
			count(c, &c->st.rejected, 1);
		} else {
			if (!c->down)
				logf_(c, VG_HUB_LOG_WARN, "hub: cannot send to %s: %s; %zu batch%s spooled, will retry",
				      c->url, why, vg_hub_spool_count(c->spool),
				      vg_hub_spool_count(c->spool) == 1 ? "" : "es");
			c->down = true;
			count(c, &c->st.retries, 1);
			return true;
		}
	}
}

static void *sender(void *arg)
{
	vg_hub_client_t *c = arg;
	double interval = c->cfg.interval_ms / 1000.0;
	double next_harvest = mono() + interval;
	double backoff = 0, next_try = 0; /* 0: send now */
	bool stopping = false;
	while (!stopping) {
		pthread_mutex_lock(&c->mu);
		double now = mono();
		double wake = next_harvest;
		if (next_try && next_try < wake)
			wake = next_try;
		if (!c->stop && wake > now) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			double dt = wake - now;
			ts.tv_sec += (time_t)dt;
			ts.tv_nsec += (long)((dt - (double)(time_t)dt) * 1e9);
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&c->cv, &c->mu, &ts);
		}
		stopping = c->stop;
		pthread_mutex_unlock(&c->mu);
		now = mono();
		if (stopping || now >= next_harvest) {
			harvest(c);
			next_harvest = now + interval;
		}
		if (stopping) {
			drain(c); /* once, in order; failures stay spooled */
			break;
		}
		if (next_try && now < next_try)
			continue;
		if (drain(c)) {
			backoff = backoff ? backoff * 2 : 1;
			if (backoff > c->cfg.backoff_max_s)
				backoff = c->cfg.backoff_max_s;
			next_try = mono() + backoff;
		} else {
			backoff = 0;
			next_try = 0;
		}
	}
	pthread_mutex_lock(&c->mu);
	c->st.pending = vg_hub_spool_count(c->spool);
	c->st.corrupt = vg_hub_spool_corrupt(c->spool);
	c->st.spool_dropped = vg_hub_spool_dropped(c->spool);
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

static char *dup_or_null(const char *s, bool *oom)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

int vg_hub_client_start(vg_hub_client_t **out, const vg_hub_client_cfg_t *cfg)
{
	*out = NULL;
	if (!cfg->url || !*cfg->url || !cfg->sensor || !*cfg->sensor)
		return VG_EINVAL;
	vg_hub_client_t *c = calloc(1, sizeof *c);
	if (!c)
		return VG_ENOMEM;
	c->cfg = *cfg;
	if (!c->cfg.interval_ms)
		c->cfg.interval_ms = 10000;
	if (!c->cfg.max_entries)
		c->cfg.max_entries = VG_HUB_AGG_ENTRIES_DEFAULT;
	if (!c->cfg.backoff_max_s)
		c->cfg.backoff_max_s = 60;
	if (!c->cfg.timeout_s)
		c->cfg.timeout_s = 30;
	bool oom = false;
	c->url = dup_or_null(cfg->url, &oom);
	c->token = dup_or_null(cfg->token, &oom);
	c->sensor = dup_or_null(cfg->sensor, &oom);
	c->ca = dup_or_null(cfg->ca_file, &oom);
	c->spool_dir = dup_or_null(cfg->spool_dir, &oom);
	pthread_spin_init(&c->lock, PTHREAD_PROCESS_PRIVATE);
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	int rc = VG_ENOMEM;
	if (oom)
		goto fail;
	/* strip trailing slashes: URL + "/sightings" */
	for (size_t n = strlen(c->url); n > 0 && c->url[n - 1] == '/'; n--)
		c->url[n - 1] = 0;
	if ((rc = vg_hub_agg_new(&c->cur, c->cfg.max_entries, VG_HUB_AGG_ARENA_DEFAULT)) ||
	    (rc = vg_hub_agg_new(&c->spare, c->cfg.max_entries, VG_HUB_AGG_ARENA_DEFAULT)))
		goto fail;
	if ((rc = vg_hub_spool_open(&c->spool, c->spool_dir, cfg->spool_max, cfg->log, cfg->log_ctx)))
		goto fail;
	c->st.pending = vg_hub_spool_count(c->spool);
	c->st.corrupt = vg_hub_spool_corrupt(c->spool);
	if (c->st.pending)
		logf_(c, VG_HUB_LOG_INFO, "hub: %llu spooled batch%s from a previous run to replay",
		      (unsigned long long)c->st.pending, c->st.pending == 1 ? "" : "es");
	rc = VG_ENOMEM;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || !(c->curl = curl_easy_init()))
		goto fail;
	if (pthread_create(&c->th, NULL, sender, c)) {
		rc = VG_ENOMEM;
		goto fail;
	}
	c->started = true;
	*out = c;
	return 0;
fail:
	vg_hub_client_free(c);
	return rc;
}

void vg_hub_client_stop(vg_hub_client_t *c)
{
	if (!c || c->stopped)
		return;
	c->stopped = true;
	if (!c->started)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->th, NULL);
}

void vg_hub_client_get_stats(vg_hub_client_t *c, vg_hub_client_stats_t *st)
{
	pthread_mutex_lock(&c->mu);
	*st = c->st;
	pthread_mutex_unlock(&c->mu);
	st->sightings = atomic_load(&c->sightings);
}

void vg_hub_client_free(vg_hub_client_t *c)
{
	if (!c)
		return;
	vg_hub_client_stop(c);
	if (c->curl) {
		curl_easy_cleanup(c->curl);
		curl_global_cleanup();
	}
	vg_hub_spool_close(c->spool);
	vg_hub_agg_free(c->cur);
	vg_hub_agg_free(c->spare);
	vg_buf_release(&c->body);
	vg_buf_release(&c->resp);
	pthread_cond_destroy(&c->cv);
	pthread_mutex_destroy(&c->mu);
	pthread_spin_destroy(&c->lock);
	free(c->url);
	free(c->token);
	free(c->sensor);
	free(c->ca);
	free(c->spool_dir);
	free(c);
}
