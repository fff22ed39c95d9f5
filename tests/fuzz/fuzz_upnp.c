// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz_upnp.c — discovery answers: an SSDP response head (LOCATION,
 * SERVER) and the UPnP description / WS-Discovery / SADP XML fields that
 * `vigil audit device` extracts (manufacturer, model, serial, firmware,
 * XAddrs, DeviceSN ...), with small and large output buffers.
 */
#include "audit/net_proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tags[] = {"manufacturer", "modelName", "modelNumber", "serialNumber",
		"firmwareVersion", "XAddrs", "DeviceSN", "SoftwareVersion", "MAC", "FirmwareVersion"};
	vg_resp_t r;
	(void)vg_resp_parse(data, size, &r);
	char big[96], small[3];
	for (size_t i = 0; i < sizeof(tags) / sizeof(*tags); i++) {
		(void)vg_xml_field((const char *)data, size, tags[i], big, sizeof(big));
		(void)vg_xml_field((const char *)data, size, tags[i], small, sizeof(small));
	}
	return 0;
}
