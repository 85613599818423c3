/* formats/paxlst_map.c — one PAXLST message (UNH..UNT) into a flight and traveller records:
 * BGM, RFF, NAD+MS/COM, TDT with its LOC/DTM legs, then per person NAD (FL/FM/DDU/DDT), ATT,
 * DTM+329, MEA, GEI, FTX, LOC, COM, EMP, NAT, RFF and DOC groups with DTM 36/182 and LOC 91,
 * and CNT (paxlst.md §2). Dates honour their format qualifier; two-digit years are resolved
 * so that a birth or issue date is never after the flight and an expiry is never before its
 * issue date. Values point into the input unless they needed decoding. */
#include "paxlst_internal.h"
#include "paxscreen/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum zone { ZONE_HEADER, ZONE_LEG, ZONE_PERSON, ZONE_DOCUMENT };

typedef struct builder {
    ps_edi_reader *r;
    ps_paxlst_part *part;
    ps_arena *arena;
    const ps_edi_fields *f; /* the current segment, split by the reader */
    enum zone zone;
    int32_t trav;          /* index of the current traveller, -1 if none */
    int32_t leg;           /* index of the current leg, -1 if none */
    uint32_t cap_docs;     /* capacity of the current traveller's documents array */
    uint32_t expiry_short; /* bit i: document i's expiry had a two-digit year */
    ps_date ref;           /* reference date for two-digit years */
    bool ref_departure;    /* ref is a departure time (preferred over arrival and UNB) */
} builder;

/* ---- small helpers ---- */

static inline ps_str text(builder *b, unsigned e, unsigned c)
{
    return ps_edi_text(b->r, ps_edi_get(b->f, e, c), b->arena);
}

/* A code or qualifier: text with surrounding spaces removed. */
static inline ps_str code(builder *b, unsigned e, unsigned c)
{
    ps_str s = text(b, e, c);
    while (s.len && s.ptr[0] == ' ') {
        s.ptr++;
        s.len--;
    }
    while (s.len && s.ptr[s.len - 1] == ' ')
        s.len--;
    return s;
}

/* A qualifier of one to three characters as a number to switch on: "AVF" is
 * PS_TAG('A', 'V', 'F'), "FL" is PS_TAG(0, 'F', 'L'); an empty or longer one is 0. */
static inline uint32_t qual_key(ps_str q)
{
    if (q.len == 0 || q.len > 3)
        return 0;
    uint32_t k = 0;
    for (size_t i = 0; i < q.len; i++)
        k = k << 8 | (uint8_t)q.ptr[i];
    return k;
}

static ps_diag *seg_warn(builder *b, const char *kind, unsigned e, unsigned c, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static ps_diag *seg_warn(builder *b, const char *kind, unsigned e, unsigned c, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_edi_value v = ps_edi_get(b->f, e, c ? c : 1);
    uint64_t off = v.ptr ? ps_edi_offset(b->r, v) : b->r->seg.offset;
    ps_diag *d = ps_diag_add(b->r->diags, PS_WARNING, kind, b->r->seg.number, off, "%s", msg);
    memcpy(d->tag, b->r->seg.tag_text, 4);
    d->element = (uint16_t)e;
    d->component = (uint16_t)c;
    return d;
}

static ps_traveller *current_traveller(builder *b)
{
    return b->trav >= 0 ? &b->part->m.travellers[b->trav] : NULL;
}

static ps_document *current_document(builder *b)
{
    ps_traveller *t = current_traveller(b);
    return t && t->n_documents ? &t->documents[t->n_documents - 1] : NULL;
}

static ps_flight_leg *current_leg(builder *b)
{
    return b->leg >= 0 ? &b->part->m.legs[b->leg] : NULL;
}

/* Grows an arena array of n items of size sz to hold one more; returns the new array. */
static void *grow(ps_arena *a, void *items, uint32_t n, uint32_t *cap, size_t sz)
{
    if (n < *cap)
        return items;
    uint32_t ncap = *cap ? *cap * 2 : 8;
    void *fresh = ps_arena_alloc(a, ncap * sz);
    if (n)
        memcpy(fresh, items, n * sz);
    *cap = ncap;
    return fresh;
}

/* Joins the non-empty strings of parts with sep; one non-empty string is returned without
 * copying. */
static ps_str join_nonempty(ps_arena *arena, const ps_str *all, unsigned count, const char *sep)
{
    ps_str parts[8];
    unsigned n = 0;
    size_t total = 0;
    for (unsigned i = 0; i < count && n < 8; i++) {
        if (all[i].len) {
            parts[n++] = all[i];
            total += all[i].len;
        }
    }
    if (n <= 1)
        return n ? parts[0] : PS_STR_NULL;
    size_t seplen = strlen(sep);
    char *out = ps_arena_alloc(arena, total + (n - 1) * seplen + 1);
    size_t o = 0;
    for (unsigned i = 0; i < n; i++) {
        if (i) {
            memcpy(out + o, sep, seplen);
            o += seplen;
        }
        memcpy(out + o, parts[i].ptr, parts[i].len);
        o += parts[i].len;
    }
    out[o] = '\0';
    return (ps_str){out, o};
}

/* Joins components first..last of element e with sep, skipping empty ones. */
static ps_str join_components(builder *b, unsigned e, unsigned first, unsigned last,
                              const char *sep)
{
    ps_str parts[8];
    unsigned n = 0;
    for (unsigned c = first; c <= last && n < 8; c++)
        parts[n++] = text(b, e, c);
    return join_nonempty(b->arena, parts, n, sep);
}

/* ---- dates (DTM C507: qualifier 2005, value 2380, format 2379) ---- */

enum date_use { DATE_BIRTH, DATE_ISSUE, DATE_EXPIRY, DATE_FLIGHT };

/* Layout of a date value: where year, month, day, hour and minute stand. */
typedef struct date_layout {
    int format; /* 2379 code */
    uint8_t len;
    int8_t year, year_len, month, day, hour, minute;
} date_layout;

static const date_layout layouts[] = {
    {2, 6, 4, 2, 2, 0, -1, -1},     /* DDMMYY */
    {3, 6, 4, 2, 0, 2, -1, -1},     /* MMDDYY */
    {4, 8, 4, 4, 2, 0, -1, -1},     /* DDMMCCYY */
    {101, 6, 0, 2, 2, 4, -1, -1},   /* YYMMDD */
    {102, 8, 0, 4, 4, 6, -1, -1},   /* CCYYMMDD */
    {201, 10, 0, 2, 2, 4, 6, 8},    /* YYMMDDHHMM */
    {202, 12, 0, 2, 2, 4, 6, 8},    /* YYMMDDHHMMSS */
    {203, 12, 0, 4, 4, 6, 8, 10},   /* CCYYMMDDHHMM */
    {204, 14, 0, 4, 4, 6, 8, 10},   /* CCYYMMDDHHMMSS */
    {602, 4, 0, 4, -1, -1, -1, -1}, /* CCYY */
    {610, 6, 0, 4, 4, -1, -1, -1},  /* CCYYMM */
};

static const date_layout *layout_for(ps_str fmt, size_t value_len)
{
    if (fmt.len) {
        int code;
        if (fmt.len > 3 || !ps_digits(fmt.ptr, fmt.len, &code))
            return NULL;
        for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
            if (layouts[i].format == code)
                return &layouts[i];
        return NULL;
    }
    switch (value_len) { /* no qualifier: the length tells */
    case 6:
        return &layouts[3];
    case 8:
        return &layouts[4];
    case 10:
        return &layouts[5];
    case 12:
        return &layouts[7];
    default:
        return NULL;
    }
}

/* Reads DTM element 1 into *out for the given use. Returns false (and warns) when it is not
 * a date; *short_year says whether the year had two digits. */
static bool read_dtm(builder *b, enum date_use use, ps_date *out, bool *short_year)
{
    ps_str value = code(b, 1, 2), fmt = code(b, 1, 3);
    const date_layout *L = layout_for(fmt, value.len);
    if (!L) {
        seg_warn(b, "invalid_date", 1, fmt.len ? 3 : 2,
                 fmt.len ? "date format qualifier '%.*s' is not one this reader knows"
                         : "date '%.*s' has no format qualifier and a length that fits none",
                 (int)(fmt.len ? fmt.len : value.len), fmt.len ? fmt.ptr : value.ptr);
        return false;
    }
    int year = 0, month = 0, day = 0, hour = 0, minute = 0;
    const char *p = value.ptr;
    bool ok = value.len == L->len && ps_digits(p + L->year, (size_t)L->year_len, &year) &&
              (L->month < 0 || ps_digits(p + L->month, 2, &month)) &&
              (L->day < 0 || ps_digits(p + L->day, 2, &day)) &&
              (L->hour < 0 || ps_digits(p + L->hour, 2, &hour)) &&
              (L->minute < 0 || ps_digits(p + L->minute, 2, &minute));
    ps_date d = {0};
    if (ok) {
        /* 00 for an unknown month or day gives a partial date (birth dates on lists). */
        d.precision = L->hour >= 0    ? PS_DATE_MINUTE
                      : L->day >= 0   ? PS_DATE_DAY
                      : L->month >= 0 ? PS_DATE_MONTH
                                      : PS_DATE_YEAR;
        if (d.precision == PS_DATE_DAY && day == 0)
            d.precision = PS_DATE_MONTH;
        if (d.precision >= PS_DATE_MONTH && month == 0)
            d.precision = PS_DATE_YEAR;
        *short_year = L->year_len == 2;
        if (*short_year) {
            switch (use) {
            case DATE_BIRTH:
            case DATE_ISSUE:
                year = ps_year_birth(year, month, day, &b->ref);
                break;
            case DATE_EXPIRY:
            case DATE_FLIGHT:
                year = ps_year_near(year, &b->ref);
                break;
            }
        }
        d.year = (int16_t)year;
        d.month = (uint8_t)(d.precision >= PS_DATE_MONTH ? month : 0);
        d.day = (uint8_t)(d.precision >= PS_DATE_DAY ? day : 0);
        d.hour = (uint8_t)hour;
        d.minute = (uint8_t)minute;
        ok = ps_date_valid(&d);
    }
    if (!ok) {
        seg_warn(b, "invalid_date", 1, 2, "'%.*s' is not a date of format %d", (int)value.len,
                 value.ptr, L->format);
        return false;
    }
    *out = d;
    return true;
}

/* ---- header segments ---- */

static void on_bgm(builder *b)
{
    ps_paxlst_message *m = &b->part->m;
    m->document_code = code(b, 1, 1);
    m->document_function = code(b, 2, 1);
    static const struct {
        const char *code;
        ps_paxlst_kind kind;
    } kinds[] = {{"745", PS_PAXLST_PASSENGER_LIST},
                 {"250", PS_PAXLST_CREW_LIST},
                 {"266", PS_PAXLST_FLIGHT_STATUS},
                 {"336", PS_PAXLST_MASTER_CREW},
                 {"655", PS_PAXLST_GATE_PASS}};
    m->kind = PS_PAXLST_OTHER;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (ps_str_eq_cstr(m->document_code, kinds[i].code))
            m->kind = kinds[i].kind;
    if (m->kind == PS_PAXLST_OTHER)
        seg_warn(b, "unknown_document_code", 1, 1,
                 "document name code '%.*s' is not 745, 250, 266, 336 or 655",
                 (int)m->document_code.len, m->document_code.ptr);
}

static void on_tdt(builder *b)
{
    ps_paxlst_message *m = &b->part->m;
    m->legs = grow(b->arena, m->legs, m->n_legs, &b->part->cap_legs, sizeof *m->legs);
    ps_flight_leg *leg = &m->legs[m->n_legs];
    memset(leg, 0, sizeof *leg);
    b->leg = (int32_t)m->n_legs++;
    b->zone = ZONE_LEG;
    leg->conveyance = code(b, 2, 1);
    leg->carrier = code(b, 5, 1);
    ps_str conv = leg->conveyance;
    if (leg->carrier.len && conv.len > leg->carrier.len &&
        memcmp(conv.ptr, leg->carrier.ptr, leg->carrier.len) == 0) {
        leg->number = (ps_str){conv.ptr + leg->carrier.len, conv.len - leg->carrier.len};
    } else if (!leg->carrier.len && conv.len > 2) {
        /* "XZ877": a two-character airline designator, then the number */
        size_t i = 2;
        while (i < conv.len && i < 3 && !(conv.ptr[i] >= '0' && conv.ptr[i] <= '9'))
            i++;
        leg->carrier = (ps_str){conv.ptr, i};
        leg->number = (ps_str){conv.ptr + i, conv.len - i};
    } else {
        leg->number = conv;
    }
    if (!conv.len)
        seg_warn(b, "flight_missing", 2, 1, "TDT has no conveyance reference (flight)");
}

static void on_leg_loc(builder *b, ps_str qual)
{
    ps_flight_leg *leg = current_leg(b);
    ps_str place = code(b, 2, 1);
    if (!place.len)
        place = code(b, 2, 4);
    if (ps_str_eq_cstr(qual, "125"))
        leg->departure_airport = place;
    else if (ps_str_eq_cstr(qual, "87"))
        leg->arrival_airport = place;
    else if (ps_str_eq_cstr(qual, "92")) {
        if (!leg->departure_airport.len)
            leg->departure_airport = place;
        else
            leg->arrival_airport = place;
    } else if (ps_str_eq_cstr(qual, "130"))
        leg->final_destination = place;
    else if (!ps_str_eq_cstr(qual, "188") && !ps_str_eq_cstr(qual, "172"))
        seg_warn(b, "unknown_qualifier", 1, 1, "LOC qualifier '%.*s' is not used for a flight leg",
                 (int)qual.len, qual.ptr);
}

static void on_leg_dtm(builder *b, ps_str qual)
{
    ps_flight_leg *leg = current_leg(b);
    ps_date d;
    bool short_year;
    bool dep = ps_str_eq_cstr(qual, "189"), arr = ps_str_eq_cstr(qual, "232");
    if (!dep && !arr) {
        if (!ps_str_eq_cstr(qual, "554"))
            seg_warn(b, "unknown_qualifier", 1, 1, "DTM qualifier '%.*s' is not 189 or 232",
                     (int)qual.len, qual.ptr);
        return;
    }
    if (!read_dtm(b, DATE_FLIGHT, &d, &short_year))
        return;
    if (dep)
        leg->departure_time = d;
    else
        leg->arrival_time = d;
    /* The first departure time (else an arrival time) is the reference for the birth, issue
     * and expiry dates that follow. */
    if (!b->ref_departure) {
        b->ref = d;
        b->ref_departure = dep;
    }
}

/* ---- people ---- */

static void on_person(builder *b, ps_role role)
{
    ps_paxlst_message *m = &b->part->m;
    if (m->n_travellers == b->part->cap_travellers) {
        /* a buffer the part keeps across messages: no copying once warm */
        uint32_t cap = b->part->cap_travellers ? b->part->cap_travellers * 2 : 256;
        ps_traveller *grown = realloc(b->part->traveller_buf, cap * sizeof *grown);
        if (!grown) {
            fputs("paxscreen: out of memory\n", stderr);
            abort();
        }
        b->part->traveller_buf = grown;
        b->part->cap_travellers = cap;
    }
    m->travellers = b->part->traveller_buf;
    ps_traveller *t = &m->travellers[m->n_travellers];
    ps_traveller_init(t);
    b->trav = (int32_t)m->n_travellers++;
    b->zone = ZONE_PERSON;
    b->cap_docs = 0;
    b->expiry_short = 0;
    t->role = role;
    t->segment = b->r->seg.number;
    t->offset = b->r->seg.offset;
    t->surname = text(b, 4, 1);
    t->given_names = join_components(b, 4, 2, 5, " ");
    if (!t->surname.len)
        seg_warn(b, "name_missing", 4, 1, "traveller NAD has no surname");
    if (b->f->n_elements <= 4) /* no address sent: the usual case */
        return;
    /* street (all lines), city, region, postcode, country */
    ps_str pieces[5] = {join_components(b, 5, 1, 4, " "), text(b, 6, 1), text(b, 7, 4),
                        text(b, 8, 1), text(b, 9, 1)};
    t->address = join_nonempty(b->arena, pieces, 5, ", ");
}

static void on_nad(builder *b)
{
    ps_str qual = code(b, 1, 1);
    switch (qual_key(qual)) {
    case PS_TAG(0, 'F', 'L'):
        on_person(b, PS_ROLE_PASSENGER);
        return;
    case PS_TAG(0, 'F', 'M'):
        on_person(b, PS_ROLE_CREW);
        return;
    case PS_TAG('D', 'D', 'U'):
        on_person(b, PS_ROLE_TRANSIT_PASSENGER);
        return;
    case PS_TAG('D', 'D', 'T'):
        on_person(b, PS_ROLE_TRANSIT_CREW);
        return;
    default:
        break;
    }
    if (ps_str_eq_cstr(qual, "MS")) {
        ps_paxlst_message *m = &b->part->m;
        ps_str name = join_components(b, 4, 1, 5, " ");
        m->reporting_party = name.len ? name : code(b, 2, 1);
        b->zone = ZONE_HEADER;
        b->trav = -1;
        return;
    }
    if (!ps_str_eq_cstr(qual, "ZZZ")) /* ZZZ: closeout placeholder, no person */
        seg_warn(b, "unknown_qualifier", 1, 1,
                 "NAD qualifier '%.*s' is none of MS, FL, FM, DDU, DDT; segment ignored",
                 (int)qual.len, qual.ptr);
    b->trav = -1;
    b->zone = ZONE_HEADER;
}

static void on_com(builder *b)
{
    ps_traveller *t = b->zone >= ZONE_PERSON ? current_traveller(b) : NULL;
    ps_paxlst_message *m = &b->part->m;
    for (unsigned e = 1; e <= b->f->n_elements; e++) {
        ps_str value = text(b, e, 1), kind = code(b, e, 2);
        if (!value.len)
            continue;
        if (ps_str_eq_cstr(kind, "TE")) {
            if (t)
                t->phone = value;
            else
                m->reporting_phone = value;
        } else if (ps_str_eq_cstr(kind, "FX")) {
            if (!t)
                m->reporting_fax = value;
        } else if (ps_str_eq_cstr(kind, "EM")) {
            if (t)
                t->email = value;
            else
                m->reporting_email = value;
        }
    }
}

static void on_person_loc(builder *b, ps_traveller *t, ps_str qual)
{
    ps_str place = code(b, 2, 1);
    ps_str place_text = text(b, 2, 4);
    uint32_t key = qual_key(qual);
    if (key == PS_TAG(0, '9', '1')) {
        ps_document *d = current_document(b);
        if (!d) {
            seg_warn(b, "out_of_place", 1, 1, "LOC+91 (document issuer) before any DOC");
            return;
        }
        d->issuer = place;
        d->issue_place = place_text;
        return;
    }
    switch (key) {
    case PS_TAG(0, '2', '2'):
        t->clearance = place;
        break;
    case PS_TAG('1', '7', '4'):
        t->residence = place.len ? place : place_text;
        break;
    case PS_TAG('1', '7', '8'):
        t->embarkation = place;
        break;
    case PS_TAG('1', '7', '9'):
        t->debarkation = place;
        break;
    case PS_TAG('1', '8', '0'):
        t->birth_place = place.len ? place : place_text;
        break;
    default:
        seg_warn(b, "unknown_qualifier", 1, 1, "LOC qualifier '%.*s' is not used for a traveller",
                 (int)qual.len, qual.ptr);
    }
}

static void on_person_dtm(builder *b, ps_traveller *t, ps_str qual)
{
    ps_date d;
    bool short_year = false;
    uint32_t key = qual_key(qual);
    if (key == PS_TAG('3', '2', '9')) {
        if (read_dtm(b, DATE_BIRTH, &d, &short_year))
            t->birth_date = d;
        return;
    }
    bool expiry = key == PS_TAG(0, '3', '6'), issue = key == PS_TAG('1', '8', '2');
    if (!expiry && !issue) {
        seg_warn(b, "unknown_qualifier", 1, 1, "DTM qualifier '%.*s' is not 329, 36 or 182",
                 (int)qual.len, qual.ptr);
        return;
    }
    ps_document *doc = current_document(b);
    if (!doc) {
        seg_warn(b, "out_of_place", 1, 1, "document date (DTM+%.*s) before any DOC", (int)qual.len,
                 qual.ptr);
        return;
    }
    if (!read_dtm(b, expiry ? DATE_EXPIRY : DATE_ISSUE, &d, &short_year))
        return;
    if (issue) {
        doc->issued = d;
        return;
    }
    doc->expiry = d;
    uint32_t bit = t->n_documents - 1 < 32 ? 1u << (t->n_documents - 1) : 0;
    b->expiry_short = short_year ? b->expiry_short | bit : b->expiry_short & ~bit;
}

static void on_doc(builder *b, ps_traveller *t)
{
    t->documents = grow(b->arena, t->documents, t->n_documents, &b->cap_docs, sizeof(ps_document));
    ps_document *d = &t->documents[t->n_documents++];
    memset(d, 0, sizeof *d);
    d->type = code(b, 1, 1);
    d->number = code(b, 2, 1);
    b->zone = ZONE_DOCUMENT;
    if (!d->number.len)
        seg_warn(b, "document_number_missing", 2, 1, "DOC has no document number");
}

static void on_rff(builder *b, ps_traveller *t)
{
    ps_str qual = code(b, 1, 1), value = code(b, 1, 2);
    if (!t) {
        if (ps_str_eq_cstr(qual, "TN"))
            b->part->m.transaction_ref = value;
        return;
    }
    switch (qual_key(qual)) {
    case PS_TAG('A', 'V', 'F'):
        t->pnr = value;
        break;
    case PS_TAG('A', 'B', 'O'):
        t->id = value;
        break;
    case PS_TAG('S', 'E', 'A'):
        t->seat = value;
        break;
    case PS_TAG('A', 'E', 'A'):
        t->agency_ref = value;
        break;
    case PS_TAG(0, 'C', 'R'):
        t->customer_ref = value;
        break;
    case PS_TAG('Y', 'Z', 'Y'):
        t->ticket = value;
        break;
    default:
        seg_warn(b, "unknown_qualifier", 1, 1, "RFF qualifier '%.*s' is not used for a traveller",
                 (int)qual.len, qual.ptr);
    }
}

static void on_att(builder *b, ps_traveller *t)
{
    ps_str g = code(b, 3, 1);
    if (g.len == 1 && (g.ptr[0] == 'M' || g.ptr[0] == 'F' || g.ptr[0] == 'X' || g.ptr[0] == 'U'))
        t->gender = g.ptr[0];
    else
        seg_warn(b, "invalid_gender", 3, 1, "gender '%.*s' is not M, F, X or U", (int)g.len, g.ptr);
}

static void on_cnt(builder *b)
{
    ps_str qual = code(b, 1, 1), value = code(b, 1, 2);
    int n = 0;
    if (!value.len || value.len > 9 || !ps_digits(value.ptr, value.len, &n)) {
        seg_warn(b, "invalid_count", 1, 2, "CNT value '%.*s' is not a number", (int)value.len,
                 value.ptr);
        return;
    }
    ps_paxlst_part *p = b->part;
    if (ps_str_eq_cstr(qual, "42")) {
        p->m.total_passengers = n;
        p->cnt_pax_segment = b->r->seg.number;
        p->cnt_pax_offset = b->r->seg.offset;
    } else if (ps_str_eq_cstr(qual, "41")) {
        p->m.total_crew = n;
        p->cnt_crew_segment = b->r->seg.number;
        p->cnt_crew_offset = b->r->seg.offset;
    } else {
        seg_warn(b, "unknown_qualifier", 1, 1, "CNT qualifier '%.*s' is not 41 or 42",
                 (int)qual.len, qual.ptr);
    }
}

/* Segments of a person's group (G4/G5). */
static void on_person_segment(builder *b, uint32_t tag)
{
    ps_traveller *t = current_traveller(b);
    switch (tag) {
    case PS_TAG('A', 'T', 'T'):
        on_att(b, t);
        break;
    case PS_TAG('D', 'T', 'M'):
        on_person_dtm(b, t, code(b, 1, 1));
        break;
    case PS_TAG('L', 'O', 'C'):
        on_person_loc(b, t, code(b, 1, 1));
        break;
    case PS_TAG('N', 'A', 'T'):
        t->nationality = code(b, 2, 1);
        break;
    case PS_TAG('R', 'F', 'F'):
        on_rff(b, t);
        break;
    case PS_TAG('D', 'O', 'C'):
        on_doc(b, t);
        break;
    case PS_TAG('E', 'M', 'P'):
        t->crew_function = code(b, 2, 1);
        break;
    case PS_TAG('C', 'O', 'M'):
        on_com(b);
        break;
    case PS_TAG('G', 'E', 'I'): {
        ps_str v = code(b, 2, 1);
        if (ps_str_eq_cstr(v, "173"))
            t->verified = 1;
        else if (ps_str_eq_cstr(v, "174"))
            t->verified = 0;
        break;
    }
    case PS_TAG('M', 'E', 'A'): {
        int n;
        ps_str v = code(b, 3, 2);
        if (ps_str_eq_cstr(code(b, 1, 1), "CT") && v.len && v.len < 6 &&
            ps_digits(v.ptr, v.len, &n))
            t->bags = n;
        break;
    }
    case PS_TAG('F', 'T', 'X'):
        if (ps_str_eq_cstr(code(b, 1, 1), "BAG"))
            t->bag_tags = join_components(b, 4, 1, 2, ":");
        break;
    default:
        seg_warn(b, "unexpected_segment", 0, 0, "segment %s is not part of a PAXLST person group",
                 b->r->seg.tag_text);
    }
}

/* After a person's last segment: expiry years that came before the issue date. */
static void finish_traveller(builder *b)
{
    ps_traveller *t = current_traveller(b);
    if (!t)
        return;
    for (uint32_t i = 0; i < t->n_documents && i < 32; i++) {
        ps_document *d = &t->documents[i];
        if ((b->expiry_short & (1u << i)) && d->issued.precision && d->expiry.precision &&
            ps_date_cmp(&d->expiry, &d->issued) < 0)
            d->expiry.year = (int16_t)(d->expiry.year + 100);
    }
}

static void on_segment(builder *b)
{
    uint32_t tag = b->r->seg.tag;
    if (tag == PS_TAG('N', 'A', 'D')) {
        finish_traveller(b);
        on_nad(b);
        return;
    }
    if (tag == PS_TAG('C', 'N', 'T')) {
        finish_traveller(b);
        b->trav = -1;
        b->zone = ZONE_HEADER;
        on_cnt(b);
        return;
    }
    if (b->zone >= ZONE_PERSON && b->trav >= 0) {
        on_person_segment(b, tag);
        return;
    }
    switch (tag) {
    case PS_TAG('B', 'G', 'M'):
        on_bgm(b);
        break;
    case PS_TAG('R', 'F', 'F'):
        on_rff(b, NULL);
        break;
    case PS_TAG('C', 'O', 'M'):
        on_com(b);
        break;
    case PS_TAG('T', 'D', 'T'):
        on_tdt(b);
        break;
    case PS_TAG('L', 'O', 'C'):
    case PS_TAG('D', 'T', 'M'):
        if (b->zone != ZONE_LEG) {
            seg_warn(b, "out_of_place", 0, 0, "%s before any TDT or NAD; ignored",
                     b->r->seg.tag_text);
            break;
        }
        if (tag == PS_TAG('L', 'O', 'C'))
            on_leg_loc(b, code(b, 1, 1));
        else
            on_leg_dtm(b, code(b, 1, 1));
        break;
    default:
        seg_warn(b, "unexpected_segment", 0, 0, "segment %s is not part of a PAXLST header",
                 b->r->seg.tag_text);
    }
}

uint32_t ps_paxlst_map_message(ps_edi_reader *r, ps_paxlst_part *part)
{
    builder b = {
        .r = r, .part = part, .arena = &part->arena, .f = &r->fields, .trav = -1, .leg = -1};
    b.ref = r->ich.prepared;
    ps_paxlst_message *m = &part->m;
    m->total_passengers = m->total_crew = -1;
    m->interchange = r->ich.index;
    memcpy(m->sender, r->ich.sender, sizeof m->sender);
    memcpy(m->recipient, r->ich.recipient, sizeof m->recipient);
    memcpy(m->control_ref, r->ich.control_ref, sizeof m->control_ref);
    memcpy(m->message_ref, r->msg.ref, sizeof m->message_ref);
    memcpy(m->type, r->msg.type, sizeof m->type);
    snprintf(m->directory, sizeof m->directory, "%s%s%s", r->msg.version,
             r->msg.release[0] ? ":" : "", r->msg.release);
    memcpy(m->access_ref, r->msg.access_ref, sizeof m->access_ref);
    m->segment = r->msg.segment;
    m->offset = r->msg.offset;
    m->parts = 1;
    part->seq = r->msg.part;
    part->flag = r->msg.part_flag;
    uint32_t n = 0;
    for (;;) {
        ps_edi_event ev = ps_edi_next(r);
        if (ev == PS_EDI_SEGMENT) {
            on_segment(&b);
            n++;
            continue;
        }
        /* MESSAGE_END; the reader hands out nothing else inside a message. */
        finish_traveller(&b);
        part->terminated = r->msg.terminated;
        break;
    }
    return n;
}
