// SPDX-License-Identifier: Apache-2.0
/*
 * audit.c — `vigil audit` (baseline audit).  Placeholder until the branch lands:
 * it refuses to run rather than pretend.
 */
#include "cmd/cmd.h"

int cmd_audit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vg_err("audit: not built yet");
	return VG_EXIT_ERROR;
}
