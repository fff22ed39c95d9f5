// SPDX-License-Identifier: Apache-2.0
/* feed.c — placeholder until the store lands. */
#include "cmd/cmd.h"

int cmd_feed(int argc, char **argv)
{
	vg_err("feed: not built yet");
	return VG_EXIT_ERROR;
}
