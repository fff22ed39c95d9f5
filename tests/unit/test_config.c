// SPDX-License-Identifier: Apache-2.0
/*
 * test_config.c — vg_cmd_config_expand (src/cmd/config.c): how an INI file
 * becomes arguments placed before the command line, how --config is found
 * among the arguments, and what is refused.  The command layer is not in
 * libvigil.a, so its two files are compiled into this test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cmd/config.c"
#include "cmd/util.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct option opts[] = {
	{"read", required_argument, NULL, 'r'},
	{"feed", required_argument, NULL, 256},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"promisc", no_argument, NULL, 257},
	{"color", optional_argument, NULL, 258},
	{"filter", required_argument, NULL, 'f'},
	{"config", required_argument, NULL, 'c'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static char path[64];

static void write_conf(const char *text)
{
	snprintf(path, sizeof path, "test_config_%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* expand argv (NULL-terminated) and join the result with '|' */
static int expand(char *buf, size_t cap, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	vg_cmd_argv_t a;
	int r = vg_cmd_config_expand(&a, "watch", opts, argc, argv);
	buf[0] = 0;
	if (r == 0) {
		assert_null(a.argv[a.argc]);
		for (int i = 0; i < a.argc; i++) {
			strncat(buf, a.argv[i], cap - strlen(buf) - 1);
			if (i + 1 < a.argc)
				strncat(buf, "|", cap - strlen(buf) - 1);
		}
		vg_cmd_argv_release(&a);
	}
	return r;
}

/* rule: file entries come after argv[0] and before the command line, in
 * file order; switches become --key, values --key VALUE, optional ones
 * --key=VALUE; a false switch adds nothing; quotes are removed */
static void test_entries_before_cmdline(void **st)
{
	char buf[512];
	write_conf("# c\n[feed]\nx = 1\n[watch]\nfeed = a.txt\nfeed = b.txt\nquiet = yes\n"
		   "promisc = off\ncolor = auto\nfilter = \" udp port 53 \"\n");
	char *argv[] = {"watch", "--config", path, "-o", "x.json", NULL};
	assert_int_equal(expand(buf, sizeof buf, argv), 0);
	char want[512];
	snprintf(want, sizeof want,
		 "watch|--feed|a.txt|--feed|b.txt|--quiet|--color=auto|--filter| udp port 53 |"
		 "--config|%s|-o|x.json", path);
	assert_string_equal(buf, want);
	unlink(path);
}

/* rule: --config=FILE, -cFILE and -c FILE are all found; an option value
 * that looks like --config is not; nothing after "--" is an option */
static void test_finding_config(void **st)
{
	char buf[512], arg[80];
	write_conf("[watch]\nquiet = 1\n");
	snprintf(arg, sizeof arg, "--config=%s", path);
	char *a1[] = {"watch", "x.pcap", arg, NULL};
	assert_int_equal(expand(buf, sizeof buf, a1), 0);
	assert_non_null(strstr(buf, "watch|--quiet|x.pcap|"));
	snprintf(arg, sizeof arg, "-qc%s", path);
	char *a2[] = {"watch", arg, NULL};
	assert_int_equal(expand(buf, sizeof buf, a2), 0);
	assert_non_null(strstr(buf, "watch|--quiet|-qc"));
	char *a3[] = {"watch", "-f", "--config", "-c", path, NULL};
	assert_int_equal(expand(buf, sizeof buf, a3), 0);
	assert_non_null(strstr(buf, "watch|--quiet|-f|--config|-c|"));
	char *a4[] = {"watch", "-f", "-c", "--", "-c", path, NULL};
	assert_int_equal(expand(buf, sizeof buf, a4), 0);
	assert_null(strstr(buf, "--quiet")); /* -c's value is "--"; after it, operands */
	unlink(path);
}

/* rule: no --config: the same vector */
static void test_no_config(void **st)
{
	char buf[256];
	char *argv[] = {"watch", "-r", "x.pcap", "--feed", "f", NULL};
	assert_int_equal(expand(buf, sizeof buf, argv), 0);
	assert_string_equal(buf, "watch|-r|x.pcap|--feed|f");
}

/* rule: unknown keys, help, config, bad booleans, empty values, keys outside
 * a section, unknown sections, syntax errors and missing files fail */
static void test_refused(void **st)
{
	static const char *const bad[] = {
		"[watch]\nfeeds = a\n", "[watch]\nhelp = yes\n", "[watch]\nconfig = x\n",
		"[watch]\nquiet = maybe\n", "[watch]\noutput =\n", "quiet = yes\n",
		"[wacth]\nquiet = yes\n", "[watch]\nquiet\n",
	};
	char buf[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_conf(bad[i]);
		char *argv[] = {"watch", "-c", path, NULL};
		assert_int_equal(expand(buf, sizeof buf, argv), -1);
	}
	unlink(path);
	char *argv[] = {"watch", "-c", "no-such-file.conf", NULL};
	assert_int_equal(expand(buf, sizeof buf, argv), -1);
}

/* rule: the booleans accepted, any case */
static void test_bool(void **st)
{
	int v;
	static const char *const t[] = {"yes", "TRUE", "On", "1"}, *const f[] = {"no", "False", "OFF", "0"};
	for (int i = 0; i < 4; i++) {
		v = -1;
		assert_int_equal(vg_cmd_config_bool(t[i], &v), 0);
		assert_int_equal(v, 1);
		assert_int_equal(vg_cmd_config_bool(f[i], &v), 0);
		assert_int_equal(v, 0);
	}
	assert_int_equal(vg_cmd_config_bool("2", &v), -1);
	assert_int_equal(vg_cmd_config_bool("", &v), -1);
	assert_int_equal(vg_cmd_config_bool("yess", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_before_cmdline),
		cmocka_unit_test(test_finding_config),
		cmocka_unit_test(test_no_config),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
