// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_hub_stix_fields.c — the feed renderer's fast scan of stored STIX
 * objects (src/hub/feeds_scan.c) on arbitrary bytes, differentially: when
 * jansson reads the bytes as an object whose fields fit, and the scan
 * accepts them too, both must read the same name, description, validity,
 * reference and confidence.  No input may crash or read out of bounds.
 */
#include "hub/routes_cli.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sval(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_hub_stix_fields_t f;
	int rc = vg_hub_stix_fields((const char *)data, size, &f);
	json_t *o = json_loadb((const char *)data, size, 0, NULL);
	if (rc == 0 && json_is_object(o)) {
		const char *keys[] = {"name", "description", "valid_from", "valid_until"};
		const char *got[] = {f.name, f.description, f.valid_from, f.valid_until};
		size_t cap[] = {sizeof f.name, sizeof f.description, sizeof f.valid_from, sizeof f.valid_until};
		for (int i = 0; i < 4; i++) {
			const char *w = sval(o, keys[i]);
			json_t *v = json_object_get(o, keys[i]);
			if (strlen(w) < cap[i] && (!v || json_string_length(v) == strlen(w)) && strcmp(w, got[i]))
				abort();
		}
		json_t *c = json_object_get(o, "confidence");
		int want = json_is_integer(c) && json_integer_value(c) >= 0 && json_integer_value(c) <= 100
				   ? (int)json_integer_value(c) : -1;
		if (want != f.confidence)
			abort();
	}
	json_decref(o);
	return 0;
}
