/* engine/border_stats.c — turning screened travellers and their hits into the counts of border
 * statistics (paxscreen/border_stats.h); the counts themselves are kept by batch_store.c. */
#include "paxscreen/border_stats.h"

#include "paxscreen/normalize.h"

#include <stdlib.h>
#include <string.h>

char ps_stats_dimension(const char *name)
{
    static const struct {
        const char *name;
        char dim;
    } dims[] = {{"route", PS_DIM_ROUTE},
                {"carrier", PS_DIM_CARRIER},
                {"nationality", PS_DIM_NATIONALITY},
                {"age_band", PS_DIM_AGE_BAND},
                {"gender", PS_DIM_GENDER},
                {"role", PS_DIM_ROLE},
                {"list", PS_DIM_LIST}};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        if (strcmp(name, dims[i].name) == 0)
            return dims[i].dim;
    return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; the civil-from-days inverse). */
static uint32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = (long)era * 146097 + (long)doe - 719468;
    return days < 0 ? 0 : (uint32_t)days;
}

uint32_t ps_stats_day_of(const ps_date *d)
{
    if (d->precision < PS_DATE_DAY)
        return 0;
    return days_from_civil(d->year, d->month, d->day);
}

void ps_stats_batch_init(ps_stats_batch *sb, uint32_t screening_day)
{
    memset(sb, 0, sizeof *sb);
    sb->fallback_day = screening_day;
}

void ps_stats_batch_free(ps_stats_batch *sb)
{
    free(sb->items);
    sb->items = NULL;
    sb->n = sb->cap = 0;
}

uint32_t ps_stats_day(const ps_stats_batch *sb, const ps_flight_leg *flight)
{
    uint32_t day = 0;
    if (flight) {
        day = ps_stats_day_of(&flight->departure_time);
        if (!day)
            day = ps_stats_day_of(&flight->arrival_time);
    }
    return day ? day : sb->fallback_day;
}

static void add(ps_stats_batch *sb, uint32_t day, char dim, const char *value, size_t len)
{
    if (len > 64)
        len = 64;
    for (uint32_t i = 0; i < sb->n; i++) {
        ps_stat_delta *d = &sb->items[i];
        if (d->day == day && d->dim == dim && d->len == len && memcmp(d->value, value, len) == 0) {
            d->add++;
            return;
        }
    }
    if (sb->n == sb->cap) {
        uint32_t cap = sb->cap ? sb->cap * 2 : 64;
        ps_stat_delta *items = realloc(sb->items, cap * sizeof *items);
        if (!items)
            return; /* out of memory: this count is lost, the batch is still screened */
        sb->items = items;
        sb->cap = cap;
    }
    ps_stat_delta *d = &sb->items[sb->n++];
    d->day = day;
    d->dim = dim;
    memcpy(d->value, value, len);
    d->value[len] = '\0';
    d->len = (uint8_t)len;
    d->add = 1;
}

static void add_str(ps_stats_batch *sb, uint32_t day, char dim, ps_str v)
{
    if (v.len)
        add(sb, day, dim, v.ptr, v.len);
    else
        add(sb, day, dim, "unknown", 7);
}

/* civil_from_days: the year, month and day of a day number (days since 1970-01-01). */
static void civil_from_days(uint32_t z32, int *y, unsigned *m, unsigned *d)
{
    long z = (long)z32 + 719468;
    long era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400) + (*m <= 2);
}

/* The age band at day of someone born on birth (to its precision). */
static const char *age_band(const ps_date *birth, uint32_t day)
{
    if (birth->precision == PS_DATE_NONE)
        return "unknown";
    int fy;
    unsigned fm, fd;
    civil_from_days(day, &fy, &fm, &fd);
    int years = fy - birth->year;
    if (birth->precision >= PS_DATE_MONTH &&
        (fm < birth->month ||
         (birth->precision >= PS_DATE_DAY && fm == birth->month && fd < birth->day)))
        years--; /* not yet had this year's birthday */
    if (years < 0)
        return "unknown"; /* born after the flight: a bad date */
    return years < 18   ? "0-17"
           : years < 30 ? "18-29"
           : years < 45 ? "30-44"
           : years < 60 ? "45-59"
                        : "60+";
}

void ps_stats_count_traveller(ps_stats_batch *sb, const ps_traveller *t,
                              const ps_flight_leg *flight, const ps_str *lists, uint32_t n_lists)
{
    uint32_t day = ps_stats_day(sb, flight);
    add(sb, day, PS_DIM_ALL, "", 0);
    char route[64];
    size_t rl = 0;
    ps_str from =
        flight && flight->departure_airport.len ? flight->departure_airport : t->embarkation;
    ps_str to = flight && flight->arrival_airport.len ? flight->arrival_airport : t->debarkation;
    if (from.len && to.len && from.len + to.len + 1 < sizeof route) {
        memcpy(route, from.ptr, from.len);
        route[from.len] = '-';
        memcpy(route + from.len + 1, to.ptr, to.len);
        rl = from.len + to.len + 1;
    }
    const char *a3 =
        t->nationality.len ? ps_country_alpha3(t->nationality.ptr, t->nationality.len) : NULL;
    ps_str nationality = a3 ? (ps_str){a3, strlen(a3)} : t->nationality;
    const char *band = age_band(&t->birth_date, day);
    char g = t->gender == 'M' || t->gender == 'F' || t->gender == 'X' ? t->gender : 0;
    const char *role = ps_role_name(t->role);
    for (int twin = 0; twin < (n_lists ? 2 : 1); twin++) { /* then, when hit, the hit twins */
        unsigned char hit = twin ? 0x80 : 0;
        add_str(sb, day, (char)(PS_DIM_ROUTE | hit), (ps_str){route, rl});
        add_str(sb, day, (char)(PS_DIM_CARRIER | hit), flight ? flight->carrier : PS_STR_NULL);
        add_str(sb, day, (char)(PS_DIM_NATIONALITY | hit), nationality);
        add(sb, day, (char)(PS_DIM_AGE_BAND | hit), band, strlen(band));
        add(sb, day, (char)(PS_DIM_GENDER | hit), g ? &g : "unknown", g ? 1 : 7);
        add(sb, day, (char)(PS_DIM_ROLE | hit), role, strlen(role));
    }
    for (uint32_t i = 0; i < n_lists; i++)
        add_str(sb, day, PS_DIM_LIST, lists[i]);
    if (n_lists)
        add(sb, day, PS_DIM_HIT_TRAVELLERS, "", 0);
}
