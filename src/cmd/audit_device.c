// SPDX-License-Identifier: Apache-2.0
/*
 * audit_device.c — `vigil audit device`.  Placeholder until the network
 * checks land: it refuses to run rather than pretend.
 */
#include "cmd/audit_cmd.h"
#include "cmd/cmd.h"

int cmd_audit_device(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vg_err("audit device: not built yet");
	return VG_EXIT_ERROR;
}
