// SPDX-License-Identifier: Apache-2.0
/* watch.c — placeholder until the watch engine lands (issue 3). */
#include "cmd/cmd.h"

int cmd_watch(int argc, char **argv)
{
	vg_err("watch: not built yet");
	return VG_EXIT_ERROR;
}
