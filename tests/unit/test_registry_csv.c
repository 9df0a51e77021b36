/* CSV tests (filled in with the CSV module). */
#include "tests/unit/test_registry.h"
int test_registry_csv(void) { return 0; }
