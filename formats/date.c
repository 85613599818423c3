/* formats/date.c — ps_date: ISO text in and out, validity, ordering, and the two-digit-year
 * rules shared by every reader (PAXLST DTM, MRZ, UNB). */
#include "paxscreen/record.h"
#include "paxscreen/text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool ps_date_valid(const ps_date *d)
{
    if (d->precision == PS_DATE_NONE || d->precision > PS_DATE_MINUTE)
        return false;
    if (d->year < 1 || d->year > 9999)
        return false;
    if (d->precision >= PS_DATE_MONTH && (d->month < 1 || d->month > 12))
        return false;
    if (d->precision >= PS_DATE_DAY && (d->day < 1 || d->day > days_in_month(d->year, d->month)))
        return false;
    if (d->precision >= PS_DATE_MINUTE && (d->hour > 23 || d->minute > 59))
        return false;
    return true;
}

size_t ps_date_format(const ps_date *d, char out[17])
{
    int n = 0;
    switch (d->precision) {
    case PS_DATE_YEAR:
        n = snprintf(out, 17, "%04d", d->year);
        break;
    case PS_DATE_MONTH:
        n = snprintf(out, 17, "%04d-%02d", d->year, d->month);
        break;
    case PS_DATE_DAY:
        n = snprintf(out, 17, "%04d-%02d-%02d", d->year, d->month, d->day);
        break;
    case PS_DATE_MINUTE:
        n = snprintf(out, 17, "%04d-%02d-%02dT%02d:%02d", d->year, d->month, d->day, d->hour,
                     d->minute);
        break;
    default:
        out[0] = '\0';
        return 0;
    }
    return n > 0 ? (size_t)n : 0;
}

bool ps_date_parse_iso(const char *p, size_t len, ps_date *out)
{
    ps_date d = {0};
    int v;
    if (len < 4 || !ps_digits(p, 4, &v))
        return false;
    d.year = (int16_t)v;
    d.precision = PS_DATE_YEAR;
    if (len >= 7) {
        if (p[4] != '-' || !ps_digits(p + 5, 2, &v))
            return false;
        d.month = (uint8_t)v;
        d.precision = PS_DATE_MONTH;
    }
    if (len >= 10) {
        if (p[7] != '-' || !ps_digits(p + 8, 2, &v))
            return false;
        d.day = (uint8_t)v;
        d.precision = PS_DATE_DAY;
    }
    if (len >= 16) {
        if ((p[10] != 'T' && p[10] != ' ') || !ps_digits(p + 11, 2, &v))
            return false;
        d.hour = (uint8_t)v;
        if (p[13] != ':' || !ps_digits(p + 14, 2, &v))
            return false;
        d.minute = (uint8_t)v;
        d.precision = PS_DATE_MINUTE;
    }
    /* Accept seconds (":SS") after minutes; nothing else may follow. */
    size_t used = d.precision == PS_DATE_YEAR    ? 4
                  : d.precision == PS_DATE_MONTH ? 7
                  : d.precision == PS_DATE_DAY   ? 10
                                                 : 16;
    if (used == 16 && len == 19 && p[16] == ':' && ps_digits(p + 17, 2, &v) && v < 60)
        used = 19;
    if (used != len || !ps_date_valid(&d))
        return false;
    *out = d;
    return true;
}

static long date_key(const ps_date *d, int prec)
{
    long k = d->year;
    k = k * 100 + (prec >= PS_DATE_MONTH ? d->month : 0);
    k = k * 100 + (prec >= PS_DATE_DAY ? d->day : 0);
    k = k * 10000 + (prec >= PS_DATE_MINUTE ? d->hour * 100 + d->minute : 0);
    return k;
}

int ps_date_cmp(const ps_date *a, const ps_date *b)
{
    int prec = a->precision < b->precision ? a->precision : b->precision;
    long ka = date_key(a, prec), kb = date_key(b, prec);
    return ka < kb ? -1 : ka > kb;
}

static ps_date today_or(const ps_date *ref)
{
    if (ref && ref->precision != PS_DATE_NONE)
        return *ref;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    ps_date d = {.year = (int16_t)(tm.tm_year + 1900),
                 .month = (uint8_t)(tm.tm_mon + 1),
                 .day = (uint8_t)tm.tm_mday,
                 .precision = PS_DATE_DAY};
    return d;
}

int ps_year_birth(int yy, int mm, int dd, const ps_date *ref)
{
    ps_date r = today_or(ref);
    int year =
        r.year - ((r.year % 100) - yy + 100) % 100; /* latest year <= ref.year ending in yy */
    ps_date d = {.year = (int16_t)year,
                 .month = (uint8_t)mm,
                 .day = (uint8_t)dd,
                 .precision = mm ? (dd ? PS_DATE_DAY : PS_DATE_MONTH) : PS_DATE_YEAR};
    if (ps_date_cmp(&d, &r) > 0)
        year -= 100;
    return year;
}

int ps_year_near(int yy, const ps_date *ref)
{
    ps_date r = today_or(ref);
    int base = r.year - r.year % 100 + yy; /* same century as ref */
    if (base - r.year > 50)
        base -= 100;
    else if (r.year - base >= 50)
        base += 100;
    return base;
}
