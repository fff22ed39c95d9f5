/* SPDX-License-Identifier: Apache-2.0 */
/*
 * access.h — who may see what in the hub: the principal (an authenticated
 * token with its organisation's relations), the access description of one
 * object, and THE access function (TLP 2.0 rules) in two equivalent forms:
 * vg_hub_can_see() in C and vg_hub_acl_sql() as an SQL condition for list
 * queries.  Every read path uses one of the two; tests/unit/test_hub_access.c
 * checks the full matrix against both, so lists and single reads agree.
 *
 * The rules (owner org always sees its own objects):
 *   CLEAR         anyone with a valid token;
 *   GREEN         every org sharing a community with the owner org;
 *   AMBER         the recipients and the orgs they serve (their children,
 *                 transitively); a group recipient stands for its members;
 *   AMBER+STRICT  the recipient orgs (members of recipient groups) only;
 *   RED           the named recipients (orgs, members of groups) only.
 * An object without recipients has its owner org as the recipient.
 * No principal (anonymous) sees nothing.  An unset TLP is treated as AMBER
 * (the hub's default for unmarked objects).  The admin role is not a
 * bypass: admins read under the same rules.
 */
#ifndef VG_HUB_ACCESS_H
#define VG_HUB_ACCESS_H

#include "vigil/common.h"
#include "vigil/intel.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Roles, usable as a mask for vg_hub_require. */
typedef enum vg_hub_role {
	VG_HUB_ROLE_NONE = 0,
	VG_HUB_ROLE_ADMIN = 1u << 0,
	VG_HUB_ROLE_PUBLISHER = 1u << 1,
	VG_HUB_ROLE_READER = 1u << 2,
	VG_HUB_ROLE_SENSOR = 1u << 3,
} vg_hub_role_t;
#define VG_HUB_ROLE_ANY 0xfu

/* "admin", "publisher", "reader", "sensor" ("" for none). */
const char *vg_hub_role_name(vg_hub_role_t r);
/* The role named s, or VG_HUB_ROLE_NONE. */
vg_hub_role_t vg_hub_role_parse(const char *s);

/* Most relations of one kind a principal carries (ancestors, groups,
 * communities); deeper or wider organisations are refused at login. */
#define VG_HUB_MAX_REL 32

/* An authenticated caller. */
typedef struct vg_hub_principal {
	int64_t org_id;         /* > 0 */
	char org_name[128];
	char province[64];      /* the org's province/region label, may be "" */
	char user[128];         /* the token's user (or its label), may be "" */
	int64_t token_id;
	vg_hub_role_t role;
	char peer[64];          /* source address of the request, for the audit */
	/* orgs this org is served by: its parent, the parent's parent, ... */
	int64_t ancestors[VG_HUB_MAX_REL];
	size_t n_ancestors;
	/* groups the org itself belongs to */
	int64_t groups[VG_HUB_MAX_REL];
	size_t n_groups;
	/* groups the org or one of its ancestors belongs to (AMBER reach) */
	int64_t anc_groups[VG_HUB_MAX_REL];
	size_t n_anc_groups;
	/* communities of the org */
	int64_t communities[VG_HUB_MAX_REL];
	size_t n_communities;
} vg_hub_principal_t;

/* A recipient of an object. */
typedef struct vg_hub_recipient {
	bool group; /* false: an org id; true: a sharing group id */
	int64_t id;
} vg_hub_recipient_t;

/* What the access function needs to know about one object. */
typedef struct vg_hub_obj_acl {
	vg_tlp_t tlp;
	int64_t owner_org;
	const int64_t *owner_communities; /* communities of the owner org */
	size_t n_owner_communities;
	const vg_hub_recipient_t *recipients;
	size_t n_recipients;
} vg_hub_obj_acl_t;

/* vg_hub_can_see — THE access function: may who read obj?  who NULL
 * (anonymous) -> false.  Pure, thread-safe. */
bool vg_hub_can_see(const vg_hub_principal_t *who, const vg_hub_obj_acl_t *obj);

/*
 * vg_hub_acl_sql — the same rule as an SQL boolean expression over the
 * schema of src/hub/db.h, for the row alias `alias` of a table having
 * columns id, tlp (vg_tlp_t number), owner_org, and recipients in table
 * `rcpt_table` (obj_id, is_group, rid).  The viewer's org id is SQL
 * parameter $N (N = viewer_param), the same in both backends.  Writes a
 * NUL-terminated string into buf; returns its length, or 0 when n is too
 * small (4096 always suffices).
 */
size_t vg_hub_acl_sql(const char *alias, const char *rcpt_table, int viewer_param, char *buf,
		      size_t n);

#endif
