/*
 * libFuzzer target of the configuration reader: any bytes as a configuration file, read
 * and validated by config_load. The file lives in a folder of its own made once per
 * process, so relative paths in it resolve to nothing that exists.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/incluinfo-fuzz-config.XXXXXX", path[sizeof dir + 16];

static void remove_file(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!*path) {
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof path, "%s/incluinfo.conf", dir);
		atexit(remove_file);
	}
	FILE *f = fopen(path, "we");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	struct diag_list *diags = diag_new();
	struct config *cfg = NULL;
	struct ii_error e;
	if (diags)
		config_load(path, &cfg, diags, &e);
	config_free(cfg);
	diag_free(diags);
	return 0;
}
