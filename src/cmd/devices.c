// SPDX-License-Identifier: Apache-2.0
/*
 * devices.c — `vigil devices` (IoT inventory).  Placeholder until the branch lands:
 * it refuses to run rather than pretend.
 */
#include "cmd/cmd.h"

int cmd_devices(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vg_err("devices: not built yet");
	return VG_EXIT_ERROR;
}
