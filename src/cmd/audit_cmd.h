/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit_cmd.h — the parts of `vigil audit` that live in separate files:
 * audit.c dispatches (device, firmware, compare); audit_device.c runs the
 * network checks of one live device.
 */
#ifndef VG_CMD_AUDIT_CMD_H
#define VG_CMD_AUDIT_CMD_H

/* cmd_audit_device: `vigil audit device ADDR ...` (argv[0] = "device"). */
int cmd_audit_device(int argc, char **argv);

#endif
