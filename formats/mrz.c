/* formats/mrz.c — ICAO Doc 9303 machine-readable zones: ps_mrz_parse splits TD1 (3x30),
 * TD2 (2x36) and TD3 (2x44) text into lines and fields, verifies the check digits and reads
 * the dates; ps_mrz_check_digit is the 7-3-1 check digit. Machine-readable visas (document
 * code 'V', 9303 Part 7: MRV-A 2x44, MRV-B 2x36) carry no optional-data or composite check
 * digit and are read with their own layout. */
#include "paxscreen/mrz.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { MRZ_MAX_LINES = 3 };

/* One line of the zone: where it starts in the text and how long it is after trimming. */
typedef struct mrz_line {
    const char *p;
    size_t len;
} mrz_line;

typedef struct mrz_ctx {
    ps_mrz *out;
    ps_diag_list *diags;
    const ps_date *ref;
} mrz_ctx;

static int char_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c == '<')
        return 0;
    return -1;
}

int ps_mrz_check_digit(const char *p, size_t len)
{
    static const int weights[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        int v = char_value(p[i]);
        if (v < 0)
            return -1;
        sum = (sum + v * weights[i % 3]) % 10;
    }
    return sum;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void mrz_invalid(ps_diag_list *diags, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void mrz_invalid(ps_diag_list *diags, const char *fmt, ...)
{
    if (!diags)
        return;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ps_diag_add(diags, PS_ERROR, "mrz_invalid", 0, 0, "%s", text);
}

static void mrz_warn(mrz_ctx *c, const char *kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void mrz_warn(mrz_ctx *c, const char *kind, const char *field, const char *fmt, ...)
{
    if (!c->diags)
        return;
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    ps_diag *d = ps_diag_add(c->diags, PS_WARNING, kind, 0, 0, "%s", text);
    d->field = ps_arena_strdup(c->diags->arena, field, strlen(field));
}

/* Describes a character for a message: "'a'" or "byte 0x0D". */
static void describe_char(char c, char out[16])
{
    unsigned char u = (unsigned char)c;
    if (u > 0x20 && u < 0x7f)
        snprintf(out, 16, "'%c'", c);
    else
        snprintf(out, 16, "byte 0x%02X", u);
}

/* Copies src[0..n) without leading and trailing fillers into dst (cap bytes, NUL-terminated). */
static void copy_trimmed(char *dst, size_t cap, const char *src, size_t n)
{
    size_t a = 0, b = n;
    while (a < b && src[a] == '<')
        a++;
    while (b > a && src[b - 1] == '<')
        b--;
    size_t k = b - a;
    if (k > cap - 1)
        k = cap - 1;
    memcpy(dst, src + a, k);
    dst[k] = '\0';
}

/* Copies one name identifier: every run of fillers inside becomes one space, fillers at
 * either end are dropped. */
static void copy_name_part(char *dst, size_t cap, const char *src, size_t n)
{
    size_t k = 0;
    bool gap = false;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        if (src[i] == '<') {
            gap = k > 0;
            continue;
        }
        if (gap) {
            if (k + 2 >= cap)
                break;
            dst[k++] = ' ';
        }
        gap = false;
        dst[k++] = src[i];
    }
    dst[k] = '\0';
}

/* Name field: primary identifier before the first "<<", secondary identifier after it. */
static void read_name(ps_mrz *out, const char *p, size_t n)
{
    size_t split = n;
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] == '<' && p[i + 1] == '<') {
            split = i;
            break;
        }
    }
    copy_name_part(out->surname, sizeof out->surname, p, split);
    if (split < n)
        copy_name_part(out->given_names, sizeof out->given_names, p + split, n - split);
}

/* Verifies one check digit. filler_ok: the zone may hold '<' instead of the digit (an empty
 * optional-data field in TD3). */
static void check(mrz_ctx *c, const char *field, const char *data, size_t n, char found,
                  bool filler_ok)
{
    int want = ps_mrz_check_digit(data, n);
    if (want >= 0 && found == (char)('0' + want))
        return;
    if (filler_ok && found == '<')
        return;
    c->out->checks_failed++;
    char shown[16];
    if (found >= '0' && found <= '9')
        snprintf(shown, sizeof shown, "%c", found);
    else
        describe_char(found, shown);
    mrz_warn(c, "mrz_check_digit", field, "%s check digit: expected %d, found %s", field, want,
             shown);
}

static bool all_fillers(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '<')
            return false;
    return true;
}

/* Reads one two-digit pair: its value, -1 for "<<" (unknown), -2 for anything else. */
static int date_pair(const char *p)
{
    if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9')
        return (p[0] - '0') * 10 + (p[1] - '0');
    if (p[0] == '<' && p[1] == '<')
        return -1;
    return -2;
}

/* Reads a YYMMDD date. Unknown parts ("<<") reduce the precision: an unknown month gives the
 * year alone, an unknown day the year and month, an unknown year no date (no warning). */
static void read_date(mrz_ctx *c, const char *field, const char *p, bool birth, ps_date *out)
{
    *out = (ps_date){0};
    int yy = date_pair(p), mm = date_pair(p + 2), dd = date_pair(p + 4);
    bool bad = yy == -2 || mm == -2 || dd == -2;
    if (!bad && yy == -1)
        return;
    if (mm < 0)
        dd = -1;
    if (!bad && mm >= 0 && (mm < 1 || mm > 12))
        bad = true;
    if (!bad && dd >= 0 && (dd < 1 || dd > 31))
        bad = true;
    if (!bad) {
        int m = mm > 0 ? mm : 0, d = dd > 0 ? dd : 0;
        ps_date r = {0};
        r.year = (int16_t)(birth ? ps_year_birth(yy, m, d, c->ref) : ps_year_near(yy, c->ref));
        r.month = (uint8_t)m;
        r.day = (uint8_t)d;
        r.precision = m ? (d ? PS_DATE_DAY : PS_DATE_MONTH) : PS_DATE_YEAR;
        if (ps_date_valid(&r)) {
            *out = r;
            return;
        }
    }
    mrz_warn(c, "mrz_invalid_date", field, "%s: \"%.6s\" is not a date (YYMMDD)", field, p);
}

static void read_sex(mrz_ctx *c, char s)
{
    if (s == 'M' || s == 'F' || s == 'X') {
        c->out->sex = s;
        return;
    }
    c->out->sex = 'X';
    if (s != '<') {
        char shown[16];
        describe_char(s, shown);
        mrz_warn(c, "mrz_invalid_sex", "sex", "sex: expected M, F or '<', found %s", shown);
    }
}

/* Document number with its check digit. With overflow allowed (TD1, TD2) and '<' in the check
 * digit position, the number continues in the optional field up to its first filler, and the
 * last character of that continuation is the check digit. *rest / *rest_len are set to what is
 * left of the optional field. */
static void read_number(mrz_ctx *c, const char *num, char cd, bool overflow, const char *opt,
                        size_t opt_len, const char **rest, size_t *rest_len)
{
    *rest = opt;
    *rest_len = opt_len;
    if (overflow && cd == '<' && opt_len > 0 && opt[0] != '<') {
        size_t k = 0;
        while (k < opt_len && opt[k] != '<')
            k++;
        char full[9 + 32];
        memcpy(full, num, 9);
        memcpy(full + 9, opt, k - 1);
        check(c, "document_number", full, 9 + k - 1, opt[k - 1], false);
        copy_trimmed(c->out->number, sizeof c->out->number, full, 9 + k - 1);
        *rest = opt + k;
        *rest_len = opt_len - k;
        return;
    }
    check(c, "document_number", num, 9, cd, false);
    copy_trimmed(c->out->number, sizeof c->out->number, num, 9);
}

static void read_head(ps_mrz *out, const char *l1)
{
    copy_trimmed(out->doc_code, sizeof out->doc_code, l1, 2);
    copy_trimmed(out->issuer, sizeof out->issuer, l1 + 2, 3);
}

/* TD3 passport (2x44) or MRV-A visa. */
static void read_td3(mrz_ctx *c, const char *l1, const char *l2)
{
    ps_mrz *out = c->out;
    bool visa = l1[0] == 'V';
    read_head(out, l1);
    read_name(out, l1 + 5, 39);
    check(c, "document_number", l2, 9, l2[9], false);
    copy_trimmed(out->number, sizeof out->number, l2, 9);
    copy_trimmed(out->nationality, sizeof out->nationality, l2 + 10, 3);
    check(c, "birth_date", l2 + 13, 6, l2[19], false);
    read_date(c, "birth_date", l2 + 13, true, &out->birth_date);
    read_sex(c, l2[20]);
    check(c, "expiry", l2 + 21, 6, l2[27], false);
    read_date(c, "expiry", l2 + 21, false, &out->expiry);
    if (visa) {
        copy_trimmed(out->optional, sizeof out->optional, l2 + 28, 16);
        return;
    }
    copy_trimmed(out->optional, sizeof out->optional, l2 + 28, 14);
    check(c, "optional", l2 + 28, 14, l2[42], all_fillers(l2 + 28, 14));
    char comp[64];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    check(c, "composite", comp, 39, l2[43], false);
}

/* TD2 card (2x36) or MRV-B visa. */
static void read_td2(mrz_ctx *c, const char *l1, const char *l2)
{
    ps_mrz *out = c->out;
    bool visa = l1[0] == 'V';
    read_head(out, l1);
    read_name(out, l1 + 5, 31);
    const char *opt;
    size_t opt_len;
    read_number(c, l2, l2[9], !visa, l2 + 28, visa ? 8 : 7, &opt, &opt_len);
    copy_trimmed(out->nationality, sizeof out->nationality, l2 + 10, 3);
    check(c, "birth_date", l2 + 13, 6, l2[19], false);
    read_date(c, "birth_date", l2 + 13, true, &out->birth_date);
    read_sex(c, l2[20]);
    check(c, "expiry", l2 + 21, 6, l2[27], false);
    read_date(c, "expiry", l2 + 21, false, &out->expiry);
    copy_trimmed(out->optional, sizeof out->optional, opt, opt_len);
    if (visa)
        return;
    char comp[64];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 14);
    check(c, "composite", comp, 31, l2[35], false);
}

/* TD1 card (3x30). Its two optional fields (line 1 after the number, line 2 after the
 * nationality) are joined into ps_mrz.optional with one space when both hold data. */
static void read_td1(mrz_ctx *c, const char *l1, const char *l2, const char *l3)
{
    ps_mrz *out = c->out;
    read_head(out, l1);
    const char *opt;
    size_t opt_len;
    read_number(c, l1 + 5, l1[14], true, l1 + 15, 15, &opt, &opt_len);
    check(c, "birth_date", l2, 6, l2[6], false);
    read_date(c, "birth_date", l2, true, &out->birth_date);
    read_sex(c, l2[7]);
    check(c, "expiry", l2 + 8, 6, l2[14], false);
    read_date(c, "expiry", l2 + 8, false, &out->expiry);
    copy_trimmed(out->nationality, sizeof out->nationality, l2 + 15, 3);

    char opt1[16], opt2[12]; /* 15 and 11 characters at most */
    copy_trimmed(opt1, sizeof opt1, opt, opt_len);
    copy_trimmed(opt2, sizeof opt2, l2 + 18, 11);
    if (opt1[0] && opt2[0])
        snprintf(out->optional, sizeof out->optional, "%s %s", opt1, opt2);
    else
        snprintf(out->optional, sizeof out->optional, "%s", opt1[0] ? opt1 : opt2);

    char comp[64];
    memcpy(comp, l1 + 5, 25);
    memcpy(comp + 25, l2, 7);
    memcpy(comp + 32, l2 + 8, 7);
    memcpy(comp + 39, l2 + 18, 11);
    check(c, "composite", comp, 50, l2[29], false);
    read_name(out, l3, 30);
}

/* Splits the text into trimmed lines; returns how many there are (lines beyond
 * MRZ_MAX_LINES are counted, not stored). */
static size_t split_lines(const char *text, size_t len, mrz_line lines[MRZ_MAX_LINES])
{
    size_t n = 0, pos = 0;
    while (pos <= len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t a = pos, b = end;
        while (a < b && is_space(text[a]))
            a++;
        while (b > a && is_space(text[b - 1]))
            b--;
        if (n < MRZ_MAX_LINES) {
            lines[n].p = text + a;
            lines[n].len = b - a;
        }
        n++;
        pos = end + 1;
    }
    return n;
}

static const char *format_name(ps_mrz_format f)
{
    return f == PS_MRZ_TD1 ? "TD1" : f == PS_MRZ_TD2 ? "TD2" : "TD3";
}

/* Works out the format from the line count and lengths; on a mismatch reports it and returns
 * 0. A single line of the full length is cut into its lines. */
static ps_mrz_format find_format(mrz_line lines[MRZ_MAX_LINES], size_t *count, ps_diag_list *diags)
{
    size_t n = *count;
    if (n == 1) {
        const char *p = lines[0].p;
        size_t len = lines[0].len;
        size_t width = len == 90 ? 30 : len == 72 ? 36 : len == 88 ? 44 : 0;
        if (!width) {
            mrz_invalid(diags,
                        "line 1: one line of %zu characters; an MRZ is 2 lines of 44 (TD3) or "
                        "36 (TD2), 3 lines of 30 (TD1), or one string of 88, 72 or 90",
                        len);
            return 0;
        }
        n = len / width;
        for (size_t i = 0; i < n; i++) {
            lines[i].p = p + i * width;
            lines[i].len = width;
        }
        *count = n;
    } else if (n != 2 && n != 3) {
        mrz_invalid(diags, "%zu lines: an MRZ has 2 lines (TD2, TD3) or 3 lines (TD1)", n);
        return 0;
    }

    ps_mrz_format f;
    size_t width;
    if (n == 3) {
        f = PS_MRZ_TD1;
        width = 30;
    } else if (lines[0].len == 44 || lines[0].len == 36) {
        f = lines[0].len == 44 ? PS_MRZ_TD3 : PS_MRZ_TD2;
        width = lines[0].len;
    } else {
        /* Point at the first column past the line's end, or past the longest width. */
        size_t col = lines[0].len < 44 ? lines[0].len + 1 : 45;
        mrz_invalid(diags,
                    "line 1, column %zu: line has %zu characters; a 2-line MRZ has lines of 44 "
                    "(TD3) or 36 (TD2)",
                    col, lines[0].len);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (lines[i].len < width) {
            mrz_invalid(diags,
                        "line %zu, column %zu: line ends after %zu characters; %s lines "
                        "have %zu",
                        i + 1, lines[i].len + 1, lines[i].len, format_name(f), width);
            return 0;
        }
        if (lines[i].len > width) {
            mrz_invalid(diags, "line %zu, column %zu: line has %zu characters; %s lines have %zu",
                        i + 1, width + 1, lines[i].len, format_name(f), width);
            return 0;
        }
    }
    return f;
}

bool ps_mrz_parse(const char *text, size_t len, const ps_date *ref, ps_mrz *out,
                  ps_diag_list *diags)
{
    ps_mrz scratch;
    if (!out)
        out = &scratch;
    memset(out, 0, sizeof *out);
    if (!text)
        len = 0;

    size_t a = 0, b = len;
    while (a < b && is_space(text[a]))
        a++;
    while (b > a && is_space(text[b - 1]))
        b--;
    if (a == b) {
        mrz_invalid(diags, "line 1, column 1: empty input; expected an MRZ");
        return false;
    }

    mrz_line lines[MRZ_MAX_LINES];
    size_t n = split_lines(text + a, b - a, lines);
    ps_mrz_format f = find_format(lines, &n, diags);
    if (!f)
        return false;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < lines[i].len; j++) {
            if (char_value(lines[i].p[j]) < 0) {
                char shown[16];
                describe_char(lines[i].p[j], shown);
                mrz_invalid(diags, "line %zu, column %zu: %s is not A-Z, 0-9 or '<'", i + 1, j + 1,
                            shown);
                return false;
            }
        }
    }

    mrz_ctx c = {.out = out, .diags = diags, .ref = ref};
    out->format = f;
    if (f == PS_MRZ_TD3)
        read_td3(&c, lines[0].p, lines[1].p);
    else if (f == PS_MRZ_TD2)
        read_td2(&c, lines[0].p, lines[1].p);
    else
        read_td1(&c, lines[0].p, lines[1].p, lines[2].p);
    out->checks_ok = out->checks_failed == 0;
    return true;
}
