/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit/net.h — the network checks of `vigil audit device` over one live
 * device (an IPv4 address already approved by audit/scope.h).
 *
 * Three phases, driven by src/cmd/audit_device.c (which parallelises them
 * across devices and services):
 *   1. vg_net_discover: parallel non-blocking TCP connects over the port
 *      list, banners read in parallel, probes for silent ports (HTTP,
 *      RTSP, TLS), UDP discovery probes (SSDP M-SEARCH, WS-Discovery Probe,
 *      Hikvision SADP inquiry) and the UPnP description behind LOCATION.
 *   2. vg_net_check_service: per open service, clear-text authentication,
 *      unauthenticated access, default credentials with a negative control
 *      (a hit counts only if a random wrong password fails on the same
 *      service), TLS and SSH algorithm checks.  Login attempts on one
 *      service are spaced by 1/rate seconds; a lockout stops the service's
 *      checks and is recorded as 5.1-5 evidence.
 *   3. vg_net_check_device: verdicts that need every service (open ports,
 *      known-vulnerable versions, discovery exposure, checks of absent
 *      services) and the brute-force test (only with lockout_test).
 * Results go to the vg_audit_t given (one per thread; merge afterwards).
 * A vg_device_t is written by phase 1, then phase 2 runs one thread per
 * service: fields shared between those threads are guarded by d->lock.
 * Nothing is exploited: only logins, discovery and reads of public URLs.
 */
#ifndef VG_AUDIT_NET_H
#define VG_AUDIT_NET_H

#include "audit/audit.h"
#include "audit/creds.h"
#include "audit/net_proto.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/vuln.h"

#define VG_NET_MAX_PORTS 64
#define VG_NET_MAX_KNOWN 8

typedef struct vg_netopt {
	int timeout_ms;        /* connect / read timeout (default 2000) */
	double rate;           /* login attempts per second per service (default 5) */
	int max_attempts;      /* login attempts per service, control included (default 200) */
	bool lockout_test;     /* --allow-lockout-test */
	const vg_creds_t *creds;
	const vg_vulns_t *vulns; /* NULL: net.vuln.version NOT-TESTED */
	/* vg_vuln_text or a stand-in (lets the checks run before dev/vuln.c exists) */
	int (*vuln_text)(const vg_vulns_t *v, const char *text, size_t len, vg_vuln_hit_t *out, int max);
	uint16_t tcp[VG_NET_MAX_PORTS];
	int ntcp;
	uint16_t udp[16];
	int nudp;
} vg_netopt_t;

/* vg_netopt_default: the IoT port list and the defaults above. */
void vg_netopt_default(vg_netopt_t *o);
/* vg_netopt_ports: parse "21,22,80,1900/udp,8000-8010" into o (replacing
 * the lists).  0 or VG_EINVAL (message in err). */
int vg_netopt_ports(vg_netopt_t *o, const char *s, char *err, size_t errlen);

typedef struct vg_service {
	uint16_t port;
	int svc;            /* enum vg_svc */
	bool tls;
	char banner[256];   /* printable first line(s) */
	char server[128];   /* HTTP/RTSP Server header */
} vg_service_t;

typedef struct vg_device {
	uint32_t ip;        /* host order */
	char addr[16];
	vg_service_t svc[VG_NET_MAX_PORTS];
	int nsvc;
	bool udp_probed[3]; /* ssdp, wsd, sadp were probed */
	bool ssdp, wsd, sadp;
	char ssdp_server[128], location[256];
	char upnp[512];     /* disclosed UPnP fields, "" none */
	bool upnp_fetched;
	char wsd_xaddrs[256];
	char sadp_info[384];
	char identity[1024]; /* banners + server headers + UPnP make/model (for credential patterns) */
	pthread_mutex_t lock;
	/* written in phase 2 under lock */
	struct { int svc; char user[64], pass[64]; } known[VG_NET_MAX_KNOWN];
	int nknown;
	char lock_evidence[VG_NET_MAX_PORTS][200]; /* per service: "" none, else how it locked out */
	int auth_svc[8];     /* indexes of services with a login (brute-force candidates) */
	int nauth_svc;
	char auth_uri[VG_NET_MAX_PORTS][192]; /* HTTP/RTSP: URI that asked for credentials */
} vg_device_t;

/* vg_device_init / vg_device_release: a device at ip (host order). */
void vg_device_init(vg_device_t *d, uint32_t ip);
void vg_device_release(vg_device_t *d);

int vg_net_discover(vg_device_t *d, const vg_netopt_t *o, vg_audit_t *a);
int vg_net_check_service(vg_device_t *d, int idx, const vg_netopt_t *o, vg_audit_t *a);
int vg_net_check_device(vg_device_t *d, const vg_netopt_t *o, vg_audit_t *a);

/* vg_net_check_ids: every check id the network checks record, NULL-terminated
 * (each must have a row in data/audit-map-net.tsv; a unit test checks it). */
const char *const *vg_net_check_ids(void);

/* vg_net_attempts: total login attempts made by this process (all threads). */
unsigned long vg_net_attempts(void);

#endif
