// SPDX-License-Identifier: Apache-2.0
/*
 * main.c — the vigil command: a dispatch table of subcommands (git's
 * commands[]), each implemented in src/cmd/<name>.c as cmd_<name>().
 */
#include "cmd/cmd.h"

#include "vigil/common.h"

#include <string.h>

static const struct {
	const char *name;
	vg_cmd_fn fn;
	const char *help;
} commands[] = {
	{"watch", cmd_watch, "watch live or captured traffic for listed indicators"},
	{"feed", cmd_feed, "check, look up, compile, sign, convert and merge indicator feeds"},
	{"hunt", cmd_hunt, "report past observations that new feeds match (retro-hunt)"},
	{"block", cmd_block, "load, list and flush vigil's nftables block sets"},
	{"scan", cmd_scan, "scan files for listed hashes and YARA rules; quarantine hits"},
	{"devices", cmd_devices, "inventory IoT devices from traffic; learn and enforce profiles"},
	{"audit", cmd_audit, "audit a device or a firmware image against the IoT baseline"},
	{"hub", cmd_hub, "the sharing server: TAXII 2.1, signed feeds, sightings, dashboard"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: vigil [--version] [--help] <command> [<args>]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nSee 'vigil <command> --help' and vigil(1).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return VG_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return VG_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("vigil %s\n", VG_VERSION);
		return VG_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	vg_err("unknown command '%s'; see 'vigil --help'", argv[1]);
	return VG_EXIT_ERROR;
}
