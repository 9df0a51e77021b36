/*
 * Forwarding header: the status rules are the rules layer's
 * (registry/rules/status.h).  Kept for site/ files that still include
 * this path; include "registry/rules/status.h" in new code.
 */
#include "registry/rules/status.h"
