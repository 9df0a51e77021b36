/*
 * The registry's unit-test binary is built from several files, one per
 * module group; each exports a runner that test_registry.c's main calls.
 */
#ifndef TEST_REGISTRY_H
#define TEST_REGISTRY_H

int test_registry_rules(void); /* date, credit code, status */
int test_registry_csv(void);   /* CSV reader and writer */
int test_registry_db(void);    /* schema, events, import/export, snapshot */
int test_registry_runs(void);  /* the snapshot's certificate numbers */
int test_registry_grams(void); /* the snapshot's index of short name pieces */
int test_registry_queue(void); /* the queue between a publish's threads */

#endif
