// SPDX-License-Identifier: Apache-2.0
/*
 * hub.c — `vigil hub` (sharing server).  Placeholder until the branch lands:
 * it refuses to run rather than pretend.
 */
#include "cmd/cmd.h"

int cmd_hub(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vg_err("hub: not built yet");
	return VG_EXIT_ERROR;
}
