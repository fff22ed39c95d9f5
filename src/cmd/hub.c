// SPDX-License-Identifier: Apache-2.0
/*
 * hub.c — `vigil hub`: the sharing server and its administration.
 *
 *   vigil hub serve --listen ADDR:PORT --db URL [options]
 *   vigil hub admin [--db URL] init | org ... | token ... | group ... |
 *                   collection ... | audit
 *
 * serve opens the store (migrations), registers the routes, listens on
 * libmicrohttpd's thread pool and runs until SIGTERM or SIGINT, then stops
 * gracefully (in-flight requests finish).  The signals are blocked in every
 * thread and taken with sigwait() here, so no handler code runs in signal
 * context.  admin works directly on the database (no server needed); its
 * writes go to the audit log as the local admin CLI.  Lists print one JSON
 * object per line.  Secrets: the feed key's passphrase comes from
 * VIGIL_PASSPHRASE; a token is printed once, on stdout, at creation.
 */
#include "cmd/cmd.h"

#include "hub/db.h"
#include "hub/server.h"
#include "lib/file.h"
#include "lib/timefmt.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_hub[] =
	"usage: vigil hub serve --listen ADDR:PORT --db URL [<options>]\n"
	"       vigil hub admin [--db URL] <command> ...\n"
	"\n"
	"The sharing server: TAXII 2.1, feeds for sensors, sightings, search.\n"
	"URL is sqlite:FILE or postgresql://... (also from VIGIL_HUB_DB).\n"
	"Run 'vigil hub serve --help' or 'vigil hub admin --help' for details.\n";

static const char usage_serve[] =
	"usage: vigil hub serve --listen ADDR:PORT --db URL [<options>]\n"
	"\n"
	"      --listen ADDR:PORT   address to listen on ([ADDR6]:PORT for IPv6;\n"
	"                           port 0 picks a free port)\n"
	"      --db URL             sqlite:FILE or postgresql://... (VIGIL_HUB_DB)\n"
	"      --cert FILE          TLS certificate (PEM); serve HTTPS\n"
	"      --key FILE           TLS private key (PEM)\n"
	"      --www DIR            dashboard files served under /dashboard/\n"
	"                           (default: share/vigil/www beside the installed\n"
	"                           binary, else share/www of the source tree)\n"
	"      --feed-key SEC       minisign secret key signing /feeds (passphrase\n"
	"                           from VIGIL_PASSPHRASE)\n"
	"      --max-body BYTES     largest request body (default 16777216)\n"
	"      --timeout SECS       per-connection idle and upload limit (default 30)\n"
	"      --threads N          worker threads (default 4)\n"
	"      --max-conns N        concurrent connections (default 256)\n"
	"      --shutdown-wait SECS time in-flight requests get at shutdown (default 10)\n"
	"      --port-file FILE     write the bound port to FILE once listening\n"
	"  -h, --help               show this help\n"
	"\n"
	"Serves until SIGTERM or SIGINT.  Plain HTTP beyond loopback is served\n"
	"with a warning.\n"
	"Exit status: 0 stopped by a signal, 2 error.\n";

static const char usage_admin[] =
	"usage: vigil hub admin [--db URL] <command> [<args>] [<options>]\n"
	"\n"
	"  init [--org NAME]                    first org (default: admin) and admin\n"
	"                                       token (refused once tokens exist)\n"
	"  org add NAME [--parent ORG] [--province LABEL] [--community NAME]...\n"
	"  org list\n"
	"  token create --org ORG --role admin|publisher|reader|sensor\n"
	"               [--user NAME] [--expires DATE|Nd] [--allow CIDR,...]\n"
	"  token revoke ID\n"
	"  token list\n"
	"  group add NAME\n"
	"  group member add|remove GROUP ORG\n"
	"  group list\n"
	"  collection add ALIAS [--title TEXT] [--description TEXT] [--id UUID]\n"
	"  collection list\n"
	"  audit [--after ID] [--limit N]\n"
	"\n"
	"      --db URL             sqlite:FILE or postgresql://... (VIGIL_HUB_DB)\n"
	"  -h, --help               show this help\n"
	"\n"
	"A created token is printed once on stdout; only its hash is stored.\n"
	"Lists print one JSON object per line.\n"
	"Exit status: 0 done, 2 error.\n";

/* ---- serve ---- */

static void log_cb(void *ctx, int sev, const char *msg)
{
	(void)ctx;
	if (sev >= 2)
		vg_err("hub: %s", msg);
	else if (sev == 1)
		vg_warnx("hub: %s", msg);
	else
		vg_info("hub: %s", msg);
}

static bool parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

static int load_feed_key(const char *path, vg_sign_seckey_t *sk)
{
	char *text = NULL;
	size_t n = 0;
	if (vg_file_read(path, 64 * 1024, &text, &n)) {
		vg_err("%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	int rc = vg_sign_init();
	if (!rc)
		rc = vg_sign_seckey_parse(text, n, getenv("VIGIL_PASSPHRASE"), sk);
	free(text);
	if (rc) {
		vg_err("%s: error: cannot read the secret key: %s", path, vg_strerror(rc));
		return -1;
	}
	return 0;
}

/* default_www: PREFIX/share/vigil/www for an installed PREFIX/bin/vigil,
 * else the source tree's share/www (build/vigil -> share/www), else
 * "share/www" relative to the working directory. */
static const char *default_www(char *buf, size_t n)
{
	char exe[4096];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k > 0) {
		exe[k] = 0;
		char *sl = strrchr(exe, '/');
		if (sl) {
			*sl = 0;
			static const char *const rel[] = {"/../share/vigil/www", "/../share/www"};
			for (size_t i = 0; i < 2; i++) {
				struct stat st;
				if ((size_t)snprintf(buf, n, "%s%s", exe, rel[i]) < n &&
				    stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
					return buf;
			}
		}
	}
	return "share/www";
}

static int cmd_serve(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_DB, O_CERT, O_KEY, O_WWW, O_FEEDKEY, O_MAXBODY, O_TIMEOUT,
	       O_THREADS, O_MAXCONNS, O_WAIT, O_PORTFILE };
	static const struct option lo[] = {
		{"listen", required_argument, NULL, O_LISTEN},
		{"db", required_argument, NULL, O_DB},
		{"cert", required_argument, NULL, O_CERT},
		{"key", required_argument, NULL, O_KEY},
		{"www", required_argument, NULL, O_WWW},
		{"feed-key", required_argument, NULL, O_FEEDKEY},
		{"max-body", required_argument, NULL, O_MAXBODY},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"threads", required_argument, NULL, O_THREADS},
		{"max-conns", required_argument, NULL, O_MAXCONNS},
		{"shutdown-wait", required_argument, NULL, O_WAIT},
		{"port-file", required_argument, NULL, O_PORTFILE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	vg_hub_cfg_t cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.db_url = getenv("VIGIL_HUB_DB");
	static char www[4096];
	cfg.www = default_www(www, sizeof www);
	cfg.max_body = (size_t)16 << 20;
	cfg.timeout = 30;
	cfg.threads = 4;
	cfg.max_conns = 256;
	cfg.shutdown_wait = 10;
	const char *feed_key = NULL, *port_file = NULL;
	int c;
	unsigned long long v;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:
			cfg.listen = optarg;
			break;
		case O_DB:
			cfg.db_url = optarg;
			break;
		case O_CERT:
			cfg.cert = optarg;
			break;
		case O_KEY:
			cfg.key = optarg;
			break;
		case O_WWW:
			cfg.www = optarg;
			break;
		case O_FEEDKEY:
			feed_key = optarg;
			break;
		case O_PORTFILE:
			port_file = optarg;
			break;
		case O_MAXBODY:
		case O_TIMEOUT:
		case O_THREADS:
		case O_MAXCONNS:
		case O_WAIT: {
			unsigned long long max = c == O_MAXBODY ? (1ull << 32) : 100000;
			if (!parse_num(optarg, max, &v) || (v == 0 && c != O_WAIT)) {
				vg_err("hub serve: --%s: want a number from 1 to %llu, got '%s'",
				       lo[c - O_LISTEN].name, max, optarg);
				return VG_EXIT_ERROR;
			}
			if (c == O_MAXBODY)
				cfg.max_body = (size_t)v;
			else if (c == O_TIMEOUT)
				cfg.timeout = (unsigned)v;
			else if (c == O_THREADS)
				cfg.threads = (unsigned)v > 256 ? 256 : (unsigned)v;
			else if (c == O_MAXCONNS)
				cfg.max_conns = (unsigned)v;
			else
				cfg.shutdown_wait = (unsigned)v;
			break;
		}
		case 'h':
			fputs(usage_serve, stdout);
			return VG_EXIT_OK;
		default:
			return vg_cmd_opt_error("hub", "serve", c, argv);
		}
	}
	if (optind < argc) {
		vg_err("hub serve: unexpected argument '%s'", argv[optind]);
		return VG_EXIT_ERROR;
	}
	if (!cfg.listen || !cfg.db_url) {
		vg_err("hub serve: --listen and --db are required");
		return VG_EXIT_ERROR;
	}
	static vg_sign_seckey_t sk;
	if (feed_key) {
		if (load_feed_key(feed_key, &sk))
			return VG_EXIT_ERROR;
		cfg.feed_key = &sk;
	}
	/* block the stop signals in every thread (MHD's inherit the mask) */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	char err[512] = "";
	vg_hub_t *hub = NULL;
	int rc = vg_hub_new(&cfg, log_cb, NULL, &hub, err, sizeof err);
	if (rc) {
		vg_err("hub serve: %s: %s", cfg.db_url, err[0] ? err : vg_strerror(rc));
		return VG_EXIT_ERROR;
	}
	unsigned port = 0;
	rc = vg_hub_start(hub, &port, err, sizeof err);
	if (rc) {
		vg_err("hub serve: %s", err);
		vg_hub_free(hub);
		return VG_EXIT_ERROR;
	}
	vg_info("hub: listening on %s (port %u, %s)", cfg.listen, port,
		cfg.cert ? "https" : "http");
	if (port_file) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 ||
		    rename(tmp, port_file) != 0) {
			vg_err("hub serve: %s: cannot write: %s", port_file, strerror(errno));
			vg_hub_free(hub);
			return VG_EXIT_ERROR;
		}
	}
	int sig = 0;
	sigwait(&set, &sig);
	vg_info("hub: %s: stopping (in-flight requests finish)", strsignal(sig));
	vg_hub_free(hub);
	return VG_EXIT_OK;
}

/* ---- admin ---- */

static int print_list(json_t *a)
{
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
	{
		char *s = json_dumps(o, JSON_COMPACT);
		if (s)
			puts(s);
		free(s);
	}
	json_decref(a);
	return VG_EXIT_OK;
}

static int parse_expiry(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	unsigned long long v;
	if (n > 1 && s[n - 1] == 'd') {
		char num[24];
		if (n - 1 >= sizeof num)
			return -1;
		memcpy(num, s, n - 1);
		num[n - 1] = 0;
		if (!parse_num(num, 100000, &v))
			return -1;
		*out = (int64_t)time(NULL) + (int64_t)v * 86400;
		return 0;
	}
	if (strcmp(s, "never") == 0) {
		*out = 0;
		return 0;
	}
	return vg_time_parse(s, n, out) ? -1 : 0;
}

static int db_fail(const char *what, int rc, vg_hub_db_t *db)
{
	const char *m = rc == VG_EAGAIN	    ? "already exists"
			: rc == VG_ENOTFOUND ? "not found"
			: rc == VG_EINVAL    ? "invalid value"
					     : vg_hub_db_errmsg(db);
	vg_err("hub admin: %s: %s", what, m && *m ? m : vg_strerror(rc));
	return VG_EXIT_ERROR;
}

static int cmd_admin(int argc, char **argv)
{
	enum { O_DB = 256, O_ORG, O_PARENT, O_PROVINCE, O_COMMUNITY, O_ROLE, O_USER, O_EXPIRES,
	       O_ALLOW, O_TITLE, O_DESC, O_ID, O_AFTER, O_LIMIT };
	static const struct option lo[] = {
		{"db", required_argument, NULL, O_DB},
		{"org", required_argument, NULL, O_ORG},
		{"parent", required_argument, NULL, O_PARENT},
		{"province", required_argument, NULL, O_PROVINCE},
		{"community", required_argument, NULL, O_COMMUNITY},
		{"role", required_argument, NULL, O_ROLE},
		{"user", required_argument, NULL, O_USER},
		{"expires", required_argument, NULL, O_EXPIRES},
		{"allow", required_argument, NULL, O_ALLOW},
		{"title", required_argument, NULL, O_TITLE},
		{"description", required_argument, NULL, O_DESC},
		{"id", required_argument, NULL, O_ID},
		{"after", required_argument, NULL, O_AFTER},
		{"limit", required_argument, NULL, O_LIMIT},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *url = getenv("VIGIL_HUB_DB"), *org = NULL, *parent = NULL, *province = NULL,
		   *role = NULL, *user = NULL, *expires = NULL, *allow = NULL, *title = NULL,
		   *desc = NULL, *id = NULL;
	const char *comm[VG_HUB_MAX_REL];
	size_t nc = 0;
	unsigned long long after = 0, limit = 1000;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case O_DB: url = optarg; break;
		case O_ORG: org = optarg; break;
		case O_PARENT: parent = optarg; break;
		case O_PROVINCE: province = optarg; break;
		case O_COMMUNITY:
			if (nc >= VG_HUB_MAX_REL) {
				vg_err("hub admin: at most %d --community", VG_HUB_MAX_REL);
				return VG_EXIT_ERROR;
			}
			comm[nc++] = optarg;
			break;
		case O_ROLE: role = optarg; break;
		case O_USER: user = optarg; break;
		case O_EXPIRES: expires = optarg; break;
		case O_ALLOW: allow = optarg; break;
		case O_TITLE: title = optarg; break;
		case O_DESC: desc = optarg; break;
		case O_ID: id = optarg; break;
		case O_AFTER:
		case O_LIMIT:
			if (!parse_num(optarg, 1ull << 62, c == O_AFTER ? &after : &limit)) {
				vg_err("hub admin: --%s: want a number, got '%s'",
				       c == O_AFTER ? "after" : "limit", optarg);
				return VG_EXIT_ERROR;
			}
			break;
		case 'h':
			fputs(usage_admin, stdout);
			return VG_EXIT_OK;
		default:
			return vg_cmd_opt_error("hub", "admin", c, argv);
		}
	}
	char **w = argv + optind;
	int nw = argc - optind;
	if (nw < 1) {
		fputs(usage_admin, stderr);
		return VG_EXIT_ERROR;
	}
	if (!url) {
		vg_err("hub admin: --db URL (or VIGIL_HUB_DB) is required");
		return VG_EXIT_ERROR;
	}
	char err[512] = "";
	vg_hub_db_t *db = NULL;
	int rc = vg_hub_db_open(url, &db, err, sizeof err);
	if (rc) {
		vg_err("hub admin: %s: %s", url, err[0] ? err : vg_strerror(rc));
		return VG_EXIT_ERROR;
	}
	int ret = VG_EXIT_ERROR;
#define IS(i, s) (nw > (i) && strcmp(w[i], (s)) == 0)
	if (IS(0, "init") && nw == 1) {
		json_t *t = NULL;
		rc = vg_hub_db_token_list(db, &t);
		if (rc) {
			ret = db_fail("init", rc, db);
		} else if (json_array_size(t) > 0) {
			vg_err("hub admin: init: tokens exist already; use 'token create'");
		} else {
			const char *name = org ? org : "admin";
			int64_t oid;
			rc = vg_hub_db_org_id(db, name, &oid);
			if (rc == VG_ENOTFOUND)
				rc = vg_hub_db_org_add(db, NULL, name, NULL, province, comm, nc, &oid);
			char tok[VG_HUB_TOKEN_LEN + 1];
			int64_t tid;
			if (!rc)
				rc = vg_hub_db_token_create(db, NULL, name, "admin", VG_HUB_ROLE_ADMIN,
							    0, NULL, tok, &tid);
			if (rc) {
				ret = db_fail("init", rc, db);
			} else {
				printf("%s\n", tok);
				vg_info("hub: org '%s' and admin token %lld created; the token is "
					"shown only now",
					name, (long long)tid);
				ret = VG_EXIT_OK;
			}
		}
		json_decref(t);
	} else if (IS(0, "org") && IS(1, "add") && nw == 3) {
		int64_t oid;
		rc = vg_hub_db_org_add(db, NULL, w[2], parent, province, comm, nc, &oid);
		if (rc) {
			ret = db_fail(w[2], rc, db);
		} else {
			printf("%lld\n", (long long)oid);
			ret = VG_EXIT_OK;
		}
	} else if (IS(0, "org") && IS(1, "list") && nw == 2) {
		json_t *a;
		rc = vg_hub_db_org_list(db, &a);
		ret = rc ? db_fail("org list", rc, db) : print_list(a);
	} else if (IS(0, "token") && IS(1, "create") && nw == 2) {
		vg_hub_role_t r = vg_hub_role_parse(role);
		int64_t exp = 0;
		if (!org || r == VG_HUB_ROLE_NONE) {
			vg_err("hub admin: token create: --org and --role "
			       "admin|publisher|reader|sensor are required");
		} else if (expires && parse_expiry(expires, &exp)) {
			vg_err("hub admin: --expires: want an ISO 8601 date, Nd or never, got '%s'",
			       expires);
		} else {
			char tok[VG_HUB_TOKEN_LEN + 1];
			int64_t tid;
			rc = vg_hub_db_token_create(db, NULL, org, user, r, exp, allow, tok, &tid);
			if (rc == VG_EINVAL) {
				vg_err("hub admin: token create: --allow: want addresses or CIDRs "
				       "separated by commas");
			} else if (rc) {
				ret = db_fail(org, rc, db);
			} else {
				printf("%s\n", tok);
				vg_info("hub: token %lld created for org '%s'; it is shown only now",
					(long long)tid, org);
				ret = VG_EXIT_OK;
			}
		}
	} else if (IS(0, "token") && IS(1, "revoke") && nw == 3) {
		unsigned long long tid;
		if (!parse_num(w[2], 1ull << 62, &tid)) {
			vg_err("hub admin: token revoke: want a token id, got '%s'", w[2]);
		} else {
			rc = vg_hub_db_token_revoke(db, NULL, (int64_t)tid);
			ret = rc ? db_fail(w[2], rc, db) : VG_EXIT_OK;
		}
	} else if (IS(0, "token") && IS(1, "list") && nw == 2) {
		json_t *a;
		rc = vg_hub_db_token_list(db, &a);
		ret = rc ? db_fail("token list", rc, db) : print_list(a);
	} else if (IS(0, "group") && IS(1, "add") && nw == 3) {
		rc = vg_hub_db_group_add(db, NULL, w[2], NULL);
		ret = rc ? db_fail(w[2], rc, db) : VG_EXIT_OK;
	} else if (IS(0, "group") && IS(1, "member") && (IS(2, "add") || IS(2, "remove")) &&
		   nw == 5) {
		rc = vg_hub_db_group_member(db, NULL, w[3], w[4], IS(2, "add"));
		ret = rc ? db_fail(w[3], rc, db) : VG_EXIT_OK;
	} else if (IS(0, "group") && IS(1, "list") && nw == 2) {
		json_t *a;
		rc = vg_hub_db_group_list(db, &a);
		ret = rc ? db_fail("group list", rc, db) : print_list(a);
	} else if (IS(0, "collection") && IS(1, "add") && nw == 3) {
		rc = vg_hub_db_collection_add(db, NULL, id, w[2], title, desc);
		ret = rc ? db_fail(w[2], rc, db) : VG_EXIT_OK;
	} else if (IS(0, "collection") && IS(1, "list") && nw == 2) {
		json_t *a;
		rc = vg_hub_db_collection_list(db, &a);
		ret = rc ? db_fail("collection list", rc, db) : print_list(a);
	} else if (IS(0, "audit") && nw == 1) {
		json_t *a;
		rc = vg_hub_db_audit_list(db, (int64_t)after, (int64_t)limit, &a);
		ret = rc ? db_fail("audit", rc, db) : print_list(a);
	} else {
		vg_err("hub admin: unknown command '%s%s%s' (see vigil hub admin --help)", w[0],
		       nw > 1 ? " " : "", nw > 1 ? w[1] : "");
	}
#undef IS
	vg_hub_db_close(db);
	return ret;
}

int cmd_hub(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_hub, argc < 2 ? stderr : stdout);
		return argc < 2 ? VG_EXIT_ERROR : VG_EXIT_OK;
	}
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "admin") == 0)
		return cmd_admin(argc - 1, argv + 1);
	vg_err("hub: unknown command '%s' (serve, admin)", argv[1]);
	return VG_EXIT_ERROR;
}
