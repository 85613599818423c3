/* tools/screen_pool.h — screening batches on every core for the CLI (screen_pool.c). */
#ifndef PAXSCREEN_TOOLS_SCREEN_POOL_H
#define PAXSCREEN_TOOLS_SCREEN_POOL_H

#include "paxscreen/screen.h"

#include <pthread.h>
#include <stdio.h>

typedef struct ps_screen_pool ps_screen_pool;

/* Starts threads-1 workers beside the caller, each with a snapshot of store at one version. */
int ps_screen_pool_open(ps_store *store, uint32_t threads, ps_screen_pool **out, char *err,
                        size_t errlen);
/* Screens n travellers of one batch (on flight, NULL when it names none: targeting rules
 * read its route, carrier and number) and writes their hits (JSON Lines) to out in traveller
 * order. Returns 0 or the first store error a worker met. */
int ps_screen_pool_run(ps_screen_pool *p, const ps_traveller *t, uint32_t n,
                       const ps_flight_leg *flight, ps_str batch_id, FILE *out);
ps_screen_counts ps_screen_pool_counts(const ps_screen_pool *p);
uint32_t ps_screen_pool_threads(const ps_screen_pool *p);
void ps_screen_pool_close(ps_screen_pool *p);

#endif
