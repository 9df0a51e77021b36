/*
 * Forwarding header: the dates are the rules layer's
 * (registry/rules/date.h).  Kept for site/ files that still include this
 * path; include "registry/rules/date.h" in new code.
 */
#include "registry/rules/date.h"
