/* Database tests (filled in with the database module). */
#include "tests/unit/test_registry.h"
int test_registry_db(void) { return 0; }
