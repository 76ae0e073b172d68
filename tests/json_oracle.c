/* rp_json_fields held to cJSON (json_oracle.h). */
#include "json_oracle.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "jsonline.h"

const char *json_oracle(const char *line, size_t len,
			const char *const *names, size_t n, size_t need,
			int *took)
{
	rp_jfield f[16];
	const char *bad = NULL;
	char *buf = malloc(len + 1);
	*took = 0;
	if (!buf)
		return NULL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	size_t at = rp_json_fields(buf, len, names, n, need, f);
	if (!at) {
		if (memcmp(buf, line, len) != 0)
			bad = "the line changed though it was not sure";
		free(buf);
		return bad;
	}
	*took = 1;
	const char *end = NULL;
	cJSON *obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (!obj || !cJSON_IsObject(obj))
		bad = "it answered where cJSON finds no object";
	else if (end != line + at)
		bad = "the object ends elsewhere than cJSON's";
	for (size_t i = 0; i < n && !bad; i++) {
		if (!names[i])
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, names[i]);
		if (!v || cJSON_IsNull(v)) {
			if (f[i].s)
				bad = "a field cJSON has not (or null) was found";
			else if (i == need)
				bad = "the needed field is missing";
		} else if (!cJSON_IsString(v) || !v->valuestring) {
			bad = "it answered for a field that is not a string";
		} else if (!f[i].s || f[i].len != strlen(v->valuestring) ||
			   memcmp(f[i].s, v->valuestring, f[i].len) != 0) {
			bad = "a field's bytes differ from cJSON's";
		}
	}
	cJSON_Delete(obj);
	free(buf);
	return bad;
}
