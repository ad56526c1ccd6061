/*
 * libFuzzer target of the notice parser: any bytes, parsed and, when valid, split into
 * the thread they would be published as. `make fuzz` builds it with clang and runs it
 * on the example and invalid notices as a seed corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "notice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* local times are read in the configured zone; the fuzzer uses the default one */
	setenv("TZ", "Europe/Madrid", 0);
	struct diag_list *diags = diag_new();
	struct notice *n = NULL;
	struct ii_error e;
	if (diags && notice_parse("fuzz.md", (const char *)data, size, &n, diags, &e) == II_OK) {
		struct thread *thread;
		if (notice_thread(n, "fuzz.md", NULL, &thread, diags, &e) == II_OK)
			thread_free(thread);
	}
	notice_free(n);
	diag_free(diags);
	return 0;
}
