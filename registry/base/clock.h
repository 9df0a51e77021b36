/*
 * clock: monotonic time, for durations and time budgets (how long an
 * import took, when a query must stop); never a date (rules/date.h has
 * those).
 */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

/* Monotonic milliseconds. */
long long clock_ms(void);

/* Monotonic seconds. */
double clock_seconds(void);

#endif
