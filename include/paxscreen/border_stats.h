/* paxscreen/border_stats.h — border statistics: what every screened traveller and hit adds to
 * the counts kept with the batches (paxscreen/batch_store.h, ps_batch_store_finish_counted),
 * and the names of the dimensions they are counted by.
 *
 * A traveller is counted on the day of its flight (the first leg's departure, else its
 * arrival, else the day it was screened), once in PS_DIM_ALL and once in each dimension:
 * route (the flight's "DEP-ARR", else the traveller's "EMB-DEB", else "unknown"), carrier,
 * nationality (alpha-3 when the code is known, else as sent, else "unknown"), age band at the
 * flight day ("0-17", "18-29", "30-44", "45-59", "60+", "unknown"), gender ("M", "F", "X",
 * "unknown"), role ("passenger", "crew", "transit_passenger", "transit_crew", "unknown"). A hit
 * is counted on its traveller's day by list, and a traveller with any hit once more in
 * PS_DIM_HIT_TRAVELLERS and in the hit twin of every dimension (PS_DIM_HITS). Only counts are
 * kept: no name, document or birth date. */
#ifndef PAXSCREEN_BORDER_STATS_H
#define PAXSCREEN_BORDER_STATS_H

#include "paxscreen/batch_store.h"
#include "paxscreen/hit.h"

enum {
    PS_DIM_ALL = 'A', /* travellers, value "" */
    PS_DIM_ROUTE = 'r',
    PS_DIM_CARRIER = 'c',
    PS_DIM_NATIONALITY = 'n',
    PS_DIM_AGE_BAND = 'a',
    PS_DIM_GENDER = 'g',
    PS_DIM_ROLE = 'o',
    PS_DIM_LIST = 'l',           /* hits by list */
    PS_DIM_HIT_TRAVELLERS = 'H', /* travellers with at least one hit, value "" */
};

/* Travellers with at least one hit are counted again in the hit twin of each dimension (its
 * dimension byte with the high bit set): who was hit, by route, nationality, ... */
#define PS_DIM_HITS(dim) ((char)((unsigned char)(dim) | 0x80))

/* The dimension named ("route", "carrier", "nationality", "age_band", "gender", "role",
 * "list"); 0 when none is. */
char ps_stats_dimension(const char *name);

/* The counts of one batch being screened, merged by (day, dimension, value). */
typedef struct ps_stats_batch {
    ps_stat_delta *items;
    uint32_t n, cap;
    uint32_t fallback_day; /* the screening day, for travellers whose flight has no date */
} ps_stats_batch;

void ps_stats_batch_init(ps_stats_batch *sb, uint32_t screening_day);
void ps_stats_batch_free(ps_stats_batch *sb);
/* The day a traveller of this flight is counted on. */
uint32_t ps_stats_day(const ps_stats_batch *sb, const ps_flight_leg *flight);
/* Counts one traveller (flight may be NULL) and its hits (n_lists list names, n_lists 0 when
 * it had none). */
void ps_stats_count_traveller(ps_stats_batch *sb, const ps_traveller *t,
                              const ps_flight_leg *flight, const ps_str *lists, uint32_t n_lists);

/* The report of days from..to (days since 1970-01-01, inclusive, at most 3,660 days) by 'D'
 * (day), 'M' (month) or a dimension, appended to out as JSON ({"from", "to", "by",
 * "travellers", "travellers_with_hits", "counts", "rows": [{"value", "count"}]}) or CSV
 * ("by,travellers" then a line per row). Rows of a dimension come largest first.
 * PS_BSTORE_INVALID for a bad period. */
int ps_stats_report(ps_batch_store *bs, uint32_t from, uint32_t to, char by, bool csv, ps_buf *out,
                    char *err, size_t errlen);
/* The same counting only travellers with at least one hit (hits = true: "counts":
 * "travellers_with_hits"); by list always counts hits. */
int ps_stats_report_of(ps_batch_store *bs, uint32_t from, uint32_t to, char by, bool hits, bool csv,
                       ps_buf *out, char *err, size_t errlen);

/* Days since 1970-01-01 of a date (its year, month and day; 0 when it has no day). */
uint32_t ps_stats_day_of(const ps_date *d);

#endif
