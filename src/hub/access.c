// SPDX-License-Identifier: Apache-2.0
/*
 * access.c — THE access function of the hub (TLP 2.0 rules, access.h) in
 * its C form and its SQL form.  Every read of objects and sightings uses
 * one of the two; the unit test runs the full TLP x relation matrix
 * through both (the SQL form on a real SQLite store) so they cannot drift.
 *
 * Relations: an org's ancestors are the orgs that serve it (parent,
 * grandparent, ...; table org_closure holds (org, ancestor) pairs,
 * including (org, org)); groups are sharing groups (group_members);
 * communities are sets of orgs (org_communities).
 * Pure functions; thread-safe.
 */
#include "hub/access.h"

#include <stdio.h>
#include <string.h>

const char *vg_hub_role_name(vg_hub_role_t r)
{
	switch (r) {
	case VG_HUB_ROLE_ADMIN:
		return "admin";
	case VG_HUB_ROLE_PUBLISHER:
		return "publisher";
	case VG_HUB_ROLE_READER:
		return "reader";
	case VG_HUB_ROLE_SENSOR:
		return "sensor";
	default:
		return "";
	}
}

vg_hub_role_t vg_hub_role_parse(const char *s)
{
	static const vg_hub_role_t all[] = {VG_HUB_ROLE_ADMIN, VG_HUB_ROLE_PUBLISHER,
					    VG_HUB_ROLE_READER, VG_HUB_ROLE_SENSOR};
	for (size_t i = 0; s && i < 4; i++)
		if (strcmp(s, vg_hub_role_name(all[i])) == 0)
			return all[i];
	return VG_HUB_ROLE_NONE;
}

static bool in(const int64_t *v, size_t n, int64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* named: is who's org a named recipient (org, or member of a group)? */
static bool named(const vg_hub_principal_t *who, const vg_hub_obj_acl_t *o)
{
	if (o->n_recipients == 0)
		return o->owner_org == who->org_id;
	for (size_t i = 0; i < o->n_recipients; i++) {
		const vg_hub_recipient_t *r = &o->recipients[i];
		if (r->group ? in(who->groups, who->n_groups, r->id) : r->id == who->org_id)
			return true;
	}
	return false;
}

/* served: is who's org a recipient or served by one (a descendant of a
 * recipient org, or of a member of a recipient group)? */
static bool served(const vg_hub_principal_t *who, const vg_hub_obj_acl_t *o)
{
	if (o->n_recipients == 0)
		return o->owner_org == who->org_id ||
		       in(who->ancestors, who->n_ancestors, o->owner_org);
	for (size_t i = 0; i < o->n_recipients; i++) {
		const vg_hub_recipient_t *r = &o->recipients[i];
		if (r->group) {
			if (in(who->anc_groups, who->n_anc_groups, r->id))
				return true;
		} else if (r->id == who->org_id || in(who->ancestors, who->n_ancestors, r->id)) {
			return true;
		}
	}
	return false;
}

bool vg_hub_can_see(const vg_hub_principal_t *who, const vg_hub_obj_acl_t *obj)
{
	if (!who || !obj || who->org_id <= 0)
		return false;
	if (obj->owner_org == who->org_id)
		return true;
	switch (obj->tlp) {
	case VG_TLP_CLEAR:
		return true;
	case VG_TLP_GREEN:
		for (size_t i = 0; i < obj->n_owner_communities; i++)
			if (in(who->communities, who->n_communities, obj->owner_communities[i]))
				return true;
		return false;
	case VG_TLP_UNSET:
	case VG_TLP_AMBER:
		return served(who, obj);
	case VG_TLP_AMBER_STRICT:
	case VG_TLP_RED:
		return named(who, obj);
	}
	return false;
}

size_t vg_hub_acl_sql(const char *a, const char *R, int vp, char *buf, size_t n)
{
	/* tlp numbers: vg_tlp_t (0 unset, 1 clear, 2 green, 3 amber, 4 amber+strict, 5 red) */
	int len = snprintf(
		buf, n,
		"(%1$s.owner_org = $%3$d OR %1$s.tlp = 1"
		" OR (%1$s.tlp = 2 AND EXISTS (SELECT 1 FROM org_communities ca JOIN "
		"org_communities cb ON cb.community_id = ca.community_id WHERE ca.org_id = "
		"%1$s.owner_org AND cb.org_id = $%3$d))"
		" OR ((%1$s.tlp = 3 OR %1$s.tlp = 0) AND ("
		"EXISTS (SELECT 1 FROM %2$s r JOIN org_closure c ON c.anc_id = r.rid WHERE r.obj_id "
		"= %1$s.id AND r.is_group = 0 AND c.org_id = $%3$d)"
		" OR EXISTS (SELECT 1 FROM %2$s r JOIN group_members g ON g.group_id = r.rid JOIN "
		"org_closure c ON c.anc_id = g.org_id WHERE r.obj_id = %1$s.id AND r.is_group = 1 "
		"AND c.org_id = $%3$d)"
		" OR (NOT EXISTS (SELECT 1 FROM %2$s r WHERE r.obj_id = %1$s.id) AND EXISTS "
		"(SELECT 1 FROM org_closure c WHERE c.org_id = $%3$d AND c.anc_id = "
		"%1$s.owner_org))))"
		" OR ((%1$s.tlp = 4 OR %1$s.tlp = 5) AND ("
		"EXISTS (SELECT 1 FROM %2$s r WHERE r.obj_id = %1$s.id AND r.is_group = 0 AND "
		"r.rid = $%3$d)"
		" OR EXISTS (SELECT 1 FROM %2$s r JOIN group_members g ON g.group_id = r.rid WHERE "
		"r.obj_id = %1$s.id AND r.is_group = 1 AND g.org_id = $%3$d))))",
		a, R, vp);
	if (len < 0 || (size_t)len >= n) {
		if (n)
			buf[0] = 0;
		return 0;
	}
	return (size_t)len;
}
