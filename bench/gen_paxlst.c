/* bench/gen_paxlst.c — deterministic generator of large, realistic UN/EDIFACT PAXLST streams
 * for the parse benchmark (bench/parse_throughput.sh). One interchange per flight (or per part
 * with --multipart); every service character inside data is released; UNT/UNE/UNZ counts exact.
 * Same options and seed give the same bytes (splitmix64 PRNG, no clock, no locale).
 *
 * Interchanges written with --una-alt carry a Type-B header and `UNA:(.) -` service characters;
 * in them `'`, `+` and `?` are ordinary data, so (as teletype gateways do) apostrophes and `?`
 * are dropped from names and `+` becomes a space: the bytes then stay inside the UNOA subset
 * every baseline parser accepts. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "bench_prng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* True with probability pct/100. */
static bool chance(unsigned pct)
{
    return rnd(100) < pct;
}

#define PICK(a) ((a)[rnd(NELEM(a))])

/* ---- calendar (minutes since 2000-01-01 00:00, proleptic Gregorian) ------------------ */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 730425; /* 730425 = days from 0000-03-01 to 2000-01-01 */
}

typedef struct {
    int y, m, d, hh, mm;
} Civil;

static Civil civil_from_minutes(long minutes)
{
    Civil c;
    long days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    long rem = minutes - days * 1440;
    c.hh = (int)(rem / 60);
    c.mm = (int)(rem % 60);
    long z = days + 730425;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    c.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.y = (int)(yoe + era * 400 + (c.m <= 2));
    return c;
}

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* YYMMDD into buf (7 bytes). */
static void fmt_yymmdd(char *buf, long minutes)
{
    Civil c = civil_from_minutes(minutes);
    *put2(put2(put2(buf, c.y % 100), c.m), c.d) = '\0';
}

/* YYMMDDHHMM into buf (11 bytes). */
static void fmt_yymmddhhmm(char *buf, long minutes)
{
    Civil c = civil_from_minutes(minutes);
    *put2(put2(put2(put2(put2(buf, c.y % 100), c.m), c.d), c.hh), c.mm) = '\0';
}

/* HHMM into buf (5 bytes). */
static void fmt_hhmm(char *buf, long minutes)
{
    Civil c = civil_from_minutes(minutes);
    *put2(put2(buf, c.hh), c.mm) = '\0';
}

/* ---- reference data ------------------------------------------------------------------ */

typedef struct {
    const char *code, *country;
} Airport;

static const Airport airports[] = {
    {"BCN", "ESP"}, {"MAD", "ESP"}, {"CDG", "FRA"}, {"ORY", "FRA"}, {"AMS", "NLD"}, {"FRA", "DEU"},
    {"MUC", "DEU"}, {"IST", "TUR"}, {"DOH", "QAT"}, {"DXB", "ARE"}, {"AUH", "ARE"}, {"SVO", "RUS"},
    {"DME", "RUS"}, {"LED", "RUS"}, {"PEK", "CHN"}, {"PVG", "CHN"}, {"CAN", "CHN"}, {"HKG", "HKG"},
    {"DEL", "IND"}, {"BOM", "IND"}, {"MEX", "MEX"}, {"BOG", "COL"}, {"GRU", "BRA"}, {"EZE", "ARG"},
    {"LIM", "PER"}, {"CAI", "EGY"}, {"AMM", "JOR"}, {"RUH", "SAU"}, {"JED", "SAU"}, {"DUB", "IRL"},
    {"SNN", "IRL"}, {"LHR", "GBR"}, {"LGW", "GBR"}, {"MAN", "GBR"}, {"JFK", "USA"}, {"IAD", "USA"},
    {"ORD", "USA"}, {"LAX", "USA"}, {"MIA", "USA"}, {"YYZ", "CAN"}, {"YVR", "CAN"}, {"YUL", "CAN"},
    {"SIN", "SGP"}, {"KUL", "MYS"}, {"CMN", "MAR"}, {"TUN", "TUN"}, {"BEY", "LBN"}, {"ALA", "KAZ"},
    {"KBP", "UKR"}, {"VIE", "AUT"}, {"ZRH", "CHE"}, {"BRU", "BEL"},
};

/* Reporting (destination) countries: recipient ids for UNB/UNG and a Type-B address. */
typedef struct {
    const char *country, *recipient, *typeb;
    const char *arrivals[5];
} Destination;

static const Destination destinations[] = {
    {"USA", "USADHS", "WASAPXS", {"JFK", "IAD", "ORD", "LAX", "MIA"}},
    {"GBR", "UKBORDERAPI", "LONHOXH", {"LHR", "LGW", "MAN", "LHR", "MAN"}},
    {"CAN", "CBSAIAPI", "YOWAPXS", {"YYZ", "YVR", "YUL", "YYZ", "YUL"}},
    {"IRL", "IRLGNIBAPI", "DUBGNXH", {"DUB", "SNN", "DUB", "DUB", "SNN"}},
    {"CHN", "NIAIAPI", "BJSNIXH", {"PEK", "PVG", "CAN", "PEK", "PVG"}},
    {"ARE", "UAEAPIS", "DXBAPXH", {"DXB", "AUH", "DXB", "DXB", "AUH"}},
    {"ESP", "ESPAPIS", "MADAPXH", {"MAD", "BCN", "MAD", "BCN", "MAD"}},
    {"DEU", "BPOLAPIS", "FRAAPXH", {"FRA", "MUC", "FRA", "MUC", "FRA"}},
};

static const char *const carriers[] = {"XZ", "KL", "BA", "AF", "LH", "IB", "EK", "QR",
                                       "SU", "CA", "AI", "AM", "AV", "EI", "AC", "UA",
                                       "DL", "AA", "MS", "RJ", "SV", "TK"};

/* Name pools. A culture has surnames, male and female given names, optional middle names
 * and the nationalities its travellers usually hold. */
typedef struct {
    const char *const *sur;
    size_t nsur;
    const char *const *male;
    size_t nmale;
    const char *const *female;
    size_t nfemale;
    const char *const *nat;
    size_t nnat;
    unsigned weight;
    bool russian; /* gendered surnames and patronymics */
} Culture;

static const char *const es_sur[] = {"GARCIA",
                                     "MARTINEZ",
                                     "RODRIGUEZ",
                                     "LOPEZ",
                                     "HERNANDEZ",
                                     "GONZALEZ",
                                     "PEREZ",
                                     "SANCHEZ",
                                     "RAMIREZ",
                                     "TORRES",
                                     "FLORES",
                                     "RIVERA",
                                     "GOMEZ",
                                     "DIAZ",
                                     "MORALES",
                                     "ORTIZ",
                                     "GUTIERREZ",
                                     "CHAVEZ",
                                     "RUIZ",
                                     "ALVAREZ",
                                     "JIMENEZ",
                                     "MORENO",
                                     "ROMERO",
                                     "NAVARRO",
                                     "DE LA CRUZ",
                                     "DEL RIO",
                                     "DE LOS SANTOS",
                                     "GARCIA-LOPEZ",
                                     "PEREZ-REVERTE",
                                     "SANCHEZ-VICARIO",
                                     "FERNANDEZ DE CORDOBA",
                                     "MARTIN-ESPINOSA",
                                     "IBANEZ"};
static const char *const es_m[] = {"JOSE",        "JUAN",      "LUIS",      "CARLOS",  "JAVIER",
                                   "MIGUEL",      "ALEJANDRO", "FRANCISCO", "ANTONIO", "JOSE LUIS",
                                   "JUAN CARLOS", "DIEGO",     "PABLO",     "SANTIAGO"};
static const char *const es_f[] = {
    "MARIA",      "CARMEN",           "ANA",   "LUCIA", "SOFIA",     "ISABEL", "PILAR",
    "MARIA JOSE", "MARIA DEL CARMEN", "ELENA", "PAULA", "VALENTINA", "ROCIO"};
static const char *const es_nat[] = {"ESP", "MEX", "ARG", "COL", "PER", "ESP", "MEX"};

static const char *const ar_sur[] = {
    "AL-HASHIMI", "AL-FARSI",     "AL-MANSOURI", "EL-SAYED",  "ABDULLAH",
    "HASSAN",     "HUSSEIN",      "IBRAHIM",     "MOHAMMED",  "MAHMOUD",
    "KHALIL",     "NASSER",       "HADDAD",      "SALEH",     "AL RASHID",
    "ABU BAKR",   "ABDEL RAHMAN", "BEN ALI",     "EL AMRANI", "AL-QAHTANI",
    "AL-ZAHRANI", "AL-OTAIBI",    "BOUAZIZI",    "EL-MASRI",  "ABDEL-FATTAH"};
static const char *const ar_m[] = {"MOHAMMED", "MUHAMMAD",   "AHMED",        "AHMAD",  "ALI",
                                   "OMAR",     "KHALED",     "YOUSSEF",      "HASSAN", "IBRAHIM",
                                   "ABDULLAH", "ABDUL AZIZ", "ABDUL-RAHMAN", "TAREQ",  "SAMI"};
static const char *const ar_f[] = {"FATIMA", "AISHA", "MARIAM", "LAYLA",        "NOUR", "ZAINAB",
                                   "SALMA",  "HUDA",  "RANIA",  "NOOR AL-HUDA", "AMAL"};
static const char *const ar_nat[] = {"SAU", "EGY", "JOR", "ARE", "MAR", "LBN", "TUN", "SAU"};

static const char *const ru_sur[] = {
    "IVANOV",           "SMIRNOV",   "KUZNETSOV",   "POPOV",      "VASILEV", "PETROV",
    "SOKOLOV",          "MIKHAILOV", "NOVIKOV",     "FEDOROV",    "MOROZOV", "VOLKOV",
    "ALEKSEEV",         "LEBEDEV",   "SEMENOV",     "EGOROV",     "PAVLOV",  "KOZLOV",
    "STEPANOV",         "NIKOLAEV",  "SHCHERBAKOV", "KHRUSHCHEV", "ZHUKOV",  "TSVETKOV",
    "RIMSKII-KORSAKOV", "PUSHKIN",   "ILIN",        "KISELEV"};
static const char *const ru_m[] = {"ALEKSANDR", "SERGEI",   "DMITRII", "ANDREI",  "ALEKSEI",
                                   "MAKSIM",    "IVAN",     "MIKHAIL", "NIKOLAI", "IURII",
                                   "EVGENII",   "VLADIMIR", "ARTEM"};
static const char *const ru_f[] = {"OLGA",      "TATIANA",  "ELENA",  "NATALIA",
                                   "IRINA",     "SVETLANA", "IULIIA", "ANASTASIIA",
                                   "EKATERINA", "MARIIA",   "DARIA",  "KSENIIA"};
static const char *const ru_nat[] = {"RUS", "RUS", "UKR", "KAZ", "BLR", "RUS"};
/* Patronymic stems: +OVICH/+OVNA style endings are added per gender. */
static const char *const ru_patr_m[] = {"ALEKSANDROVICH", "SERGEEVICH",    "DMITRIEVICH",
                                        "ANDREEVICH",     "IVANOVICH",     "MIKHAILOVICH",
                                        "NIKOLAEVICH",    "VLADIMIROVICH", "IUREVICH"};
static const char *const ru_patr_f[] = {"ALEKSANDROVNA", "SERGEEVNA",    "DMITRIEVNA",
                                        "ANDREEVNA",     "IVANOVNA",     "MIKHAILOVNA",
                                        "NIKOLAEVNA",    "VLADIMIROVNA", "IUREVNA"};

static const char *const zh_sur[] = {"WANG", "LI",    "ZHANG", "LIU", "CHEN", "YANG",  "HUANG",
                                     "ZHAO", "WU",    "ZHOU",  "XU",  "SUN",  "MA",    "ZHU",
                                     "HU",   "GUO",   "HE",    "LIN", "LUO",  "ZHENG", "OUYANG",
                                     "SIMA", "ZHUGE", "XIAO",  "LYU"};
static const char *const zh_m[] = {"WEI",     "QIANG", "LEI",   "JUN",   "YONG",
                                   "JIE",     "TAO",   "MING",  "CHAO",  "XIAOMING",
                                   "JIANGUO", "HAOYU", "ZIHAN", "YUXUAN"};
static const char *const zh_f[] = {"FANG", "XIUYING", "NA",     "MIN",    "JING",    "LI",
                                   "YAN",  "HAIYAN",  "XIN YI", "YUTONG", "MEILING", "XIAOHONG"};
static const char *const zh_nat[] = {"CHN", "CHN", "CHN", "SGP", "MYS", "HKG"};

static const char *const ie_sur[] = {
    "O'BRIEN",    "O'CONNOR",  "O'SULLIVAN", "O'NEILL",   "O'REILLY",   "O'DONNELL",
    "MCCARTHY",   "MURPHY",    "KELLY",      "BYRNE",     "RYAN",       "WALSH",
    "DOYLE",      "GALLAGHER", "MAC GIOLLA", "NIC AODHA", "O'SHEA",     "SMITH-JONES",
    "BOWES-LYON", "FFRENCH",   "ST. JOHN",   "ST JOHN",   "O'DRISCOLL", "MAC AN TSAOIR",
    "SMITH",      "JONES",     "TAYLOR",     "BROWN",     "WILLIAMS"};
static const char *const ie_m[] = {"SEAN",    "PATRICK", "CIARAN", "EOIN",  "DONAL", "JOHN",
                                   "MICHAEL", "CONOR",   "OISIN",  "DAVID", "JAMES", "THOMAS"};
static const char *const ie_f[] = {"AOIFE",     "SIOBHAN", "NIAMH",   "SAOIRSE", "MAIRE", "MARY",
                                   "CATHERINE", "SINEAD",  "GRAINNE", "EMMA",    "SARAH"};
static const char *const ie_nat[] = {"IRL", "IRL", "GBR", "GBR", "IRL"};

static const char *const in_sur[] = {
    "D'SOUZA", "D'CRUZ", "D'MELLO", "D'SILVA", "PATEL", "SHARMA",    "SINGH", "KUMAR",
    "GUPTA",   "REDDY",  "IYER",    "NAIR",    "MENON", "FERNANDES", "RAO",   "D'COSTA"};
static const char *const in_m[] = {"RAHUL",  "AMIT", "VIKRAM", "ARJUN", "RAJESH",
                                   "SURESH", "ANIL", "SANJAY", "ROHAN"};
static const char *const in_f[] = {"PRIYA",   "ANITA", "SUNITA", "DEEPIKA",
                                   "LAKSHMI", "KAVYA", "POOJA",  "NEHA"};
static const char *const in_nat[] = {"IND"};

static const char *const eu_sur[] = {
    "MUELLER",       "SCHMIDT",       "SCHNEIDER", "FISCHER",          "WEBER",
    "MEYER",         "WAGNER",        "BECKER",    "SCHULZ",           "HOFFMANN",
    "VON DER LEYEN", "DUPONT",        "MARTIN",    "BERNARD",          "DUBOIS",
    "LEFEBVRE",      "GIRAUD-MOREAU", "LE GALL",   "DE VRIES",         "VAN DER BERG",
    "VAN DIJK",      "D'ALEMBERT",    "SCHROEDER", "GROSSE-BROCKHOFF", "JANSSENS"};
static const char *const eu_m[] = {"JEAN-PIERRE", "JEAN-LUC", "HANS",   "KLAUS",
                                   "JUERGEN",     "GUENTER",  "SOEREN", "PIERRE",
                                   "LUCAS",       "JAN",      "PIETER", "KARL-HEINZ"};
static const char *const eu_f[] = {"MARIE-CLAIRE", "ANNE-SOPHIE", "UTE",   "HELGA",  "CLAIRE",
                                   "SOPHIE",       "ANNA",        "LOTTE", "INGRID", "MARIE"};
static const char *const eu_nat[] = {"DEU", "FRA", "NLD", "AUT", "CHE", "BEL", "DEU", "FRA"};

static const Culture cultures[] = {
    {es_sur, NELEM(es_sur), es_m, NELEM(es_m), es_f, NELEM(es_f), es_nat, NELEM(es_nat), 20, false},
    {ar_sur, NELEM(ar_sur), ar_m, NELEM(ar_m), ar_f, NELEM(ar_f), ar_nat, NELEM(ar_nat), 16, false},
    {ru_sur, NELEM(ru_sur), ru_m, NELEM(ru_m), ru_f, NELEM(ru_f), ru_nat, NELEM(ru_nat), 14, true},
    {zh_sur, NELEM(zh_sur), zh_m, NELEM(zh_m), zh_f, NELEM(zh_f), zh_nat, NELEM(zh_nat), 16, false},
    {ie_sur, NELEM(ie_sur), ie_m, NELEM(ie_m), ie_f, NELEM(ie_f), ie_nat, NELEM(ie_nat), 14, false},
    {in_sur, NELEM(in_sur), in_m, NELEM(in_m), in_f, NELEM(in_f), in_nat, NELEM(in_nat), 10, false},
    {eu_sur, NELEM(eu_sur), eu_m, NELEM(eu_m), eu_f, NELEM(eu_f), eu_nat, NELEM(eu_nat), 10, false},
};

/* Data-entry and transcoding artefacts seen in real feeds: a `?` where a non-ASCII letter was
 * lost, and stray `+`/`:` typed into name fields. All of them must be released on the wire. */
static const char *const odd_sur[] = {
    "M?LLER", "GONZ?LEZ", "SMITH+JONES", "AL:HASHIMI", "O'BRIEN+WALSH", "D'SOUZA:PEREIRA", "N??ES"};
static const char *const odd_given[] = {"FNU", "MARY+ANN", "JOSE:LUIS", "J?RGEN", "UNKNOWN"};

static const char *const streets[] = {"1200 MAIN ST",   "45 ELM AVE APT 3", "9 OCEAN DR",
                                      "310 PARK AVE S", "77 W. 42ND ST",    "15 BROADWAY"};
static const char *const us_cities[][3] = {{"NEW YORK", "NY", "10001"},
                                           {"MIAMI", "FL", "33101"},
                                           {"CHICAGO", "IL", "60601"},
                                           {"LOS ANGELES", "CA", "90001"},
                                           {"ARLINGTON", "VA", "22202"}};

/* ---- output writer -------------------------------------------------------------------- */

#define OUTBUF (1u << 20)

typedef struct {
    FILE *out;
    char *buf;
    size_t len;
    uint64_t bytes; /* flushed + buffered */
    /* current interchange's service characters */
    char cds, des, rel, term;
    bool alt;
    const char *eol;      /* after each segment: "\n", "\r\n" or "" */
    const char *line_eol; /* Type-B header lines: never empty */
    unsigned msg_segs;    /* segments since UNH, UNH included */
} Writer;

static void w_flush(Writer *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len) {
        fprintf(stderr, "gen_paxlst: write error: %s\n", strerror(errno));
        exit(1);
    }
    w->len = 0;
}

static inline void w_put(Writer *w, char c)
{
    w->buf[w->len++] = c;
}

static void w_puts(Writer *w, const char *s)
{
    while (*s)
        w_put(w, *s++);
}

/* Writes data text, releasing the current service characters. In the Type-B (alternative UNA)
 * interchanges the default service characters are plain data; see the comment at the top. */
static void w_data(Writer *w, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == w->cds || c == w->des || c == w->rel || c == w->term) {
            w_put(w, w->rel);
        } else if (w->alt && (c == '\'' || c == '?')) {
            continue;
        } else if (w->alt && c == '+') {
            c = ' ';
        }
        w_put(w, c);
    }
}

static void w_uint(Writer *w, unsigned long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    while (n)
        w_put(w, tmp[--n]);
}

/* Writes one segment. In fmt, '+' and ':' stand for the current element and component
 * separators; %s is data (released), %r raw text known to hold no service character,
 * %u / %0Nu an unsigned int. The terminator and newline are appended. */
static void seg(Writer *w, const char *fmt, ...)
{
    if (w->len > OUTBUF - 4096)
        w_flush(w);
    size_t start = w->len;
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p == '+') {
            w_put(w, w->des);
        } else if (*p == ':') {
            w_put(w, w->cds);
        } else if (*p == '%') {
            int width = 0;
            p++;
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
            if (*p == 's')
                w_data(w, va_arg(ap, const char *));
            else if (*p == 'r')
                w_puts(w, va_arg(ap, const char *));
            else if (*p == 'u')
                w_uint(w, va_arg(ap, unsigned), width);
            else
                abort();
        } else {
            w_put(w, *p);
        }
    }
    va_end(ap);
    w_put(w, w->term);
    w_puts(w, w->eol);
    w->bytes += w->len - start;
    w->msg_segs++;
}

/* Writes text outside segments (UNA, Type-B header lines). */
static void w_text(Writer *w, const char *s)
{
    if (w->len > OUTBUF - 4096)
        w_flush(w);
    size_t start = w->len;
    w_puts(w, s);
    w->bytes += w->len - start;
}

/* ---- flights and travellers ----------------------------------------------------------- */

typedef struct {
    const char *carrier;
    char sender[24];
    char flight[12]; /* e.g. XZ877 */
    const Airport *origin;
    const Destination *dest;
    const char *arrival;
    long dep, arr, prep; /* minutes since 2000-01-01 */
    bool crew;
    bool alt;
    bool ung;
    unsigned n; /* travellers */
    char pnr[8];
    unsigned pax_seq;
} Flight;

static void random_alnum(char *buf, size_t n)
{
    static const char set[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < n; i++)
        buf[i] = set[rnd(sizeof set - 1)];
    buf[n] = '\0';
}

static void random_passport(char *buf, const char *nat)
{
    if (strcmp(nat, "USA") == 0 || strcmp(nat, "GBR") == 0) {
        snprintf(buf, 16, "%09u", rnd(1000000000u));
    } else if (strcmp(nat, "CHN") == 0) {
        snprintf(buf, 16, "E%08u", rnd(100000000u));
    } else {
        snprintf(buf, 16, "%c%c%07u", 'A' + rnd(26), 'A' + rnd(26), rnd(10000000u));
    }
}

static void write_person(Writer *w, Flight *f)
{
    const Culture *cu;
    if (chance(2)) {
        cu = &cultures[rnd(NELEM(cultures))];
    } else {
        unsigned total = 0, r;
        for (size_t i = 0; i < NELEM(cultures); i++)
            total += cultures[i].weight;
        r = rnd(total);
        size_t i = 0;
        while (r >= cultures[i].weight)
            r -= cultures[i++].weight;
        cu = &cultures[i];
    }
    unsigned g = rnd(100);
    char sex = g < 49 ? 'M' : g < 98 ? 'F' : g < 99 ? 'U' : 'X';
    bool male = sex == 'M' || (sex != 'F' && chance(50));

    char surname[64], given[64], middle[64];
    snprintf(surname, sizeof surname, "%s", cu->sur[rnd((unsigned)cu->nsur)]);
    if (cu->russian && !male) {
        size_t l = strlen(surname);
        if (l > 2 && (strcmp(surname + l - 2, "OV") == 0 || strcmp(surname + l - 2, "EV") == 0 ||
                      strcmp(surname + l - 2, "IN") == 0))
            strcat(surname, "A");
    }
    if (male)
        snprintf(given, sizeof given, "%s", cu->male[rnd((unsigned)cu->nmale)]);
    else
        snprintf(given, sizeof given, "%s", cu->female[rnd((unsigned)cu->nfemale)]);
    middle[0] = '\0';
    if (cu->russian && chance(70))
        snprintf(middle, sizeof middle, "%s", male ? PICK(ru_patr_m) : PICK(ru_patr_f));
    else if (chance(25))
        for (int tries = 0; tries < 4 && (!middle[0] || strcmp(middle, given) == 0); tries++)
            snprintf(middle, sizeof middle, "%s",
                     male ? cu->male[rnd((unsigned)cu->nmale)]
                          : cu->female[rnd((unsigned)cu->nfemale)]);
    if (strcmp(middle, given) == 0)
        middle[0] = '\0';
    if (chance(1))
        snprintf(surname, sizeof surname, "%s", PICK(odd_sur));
    if (chance(1))
        snprintf(given, sizeof given, "%s", PICK(odd_given));

    const char *nat = cu->nat[rnd((unsigned)cu->nnat)];
    const char *residence = chance(85) ? nat : f->dest->country;
    bool us = strcmp(f->dest->country, "USA") == 0;

    /* NAD: passenger or crew, with a US address for some US-bound travellers. */
    const char *q = f->crew ? "FM" : "FL";
    if (us && chance(15)) {
        const char *const *city = us_cities[rnd(NELEM(us_cities))];
        const char *street = PICK(streets);
        if (middle[0])
            seg(w, "NAD+%r+++%s:%s:%s+%s+%s+:::%r+%r+USA", q, surname, given, middle, street,
                city[0], city[1], city[2]);
        else
            seg(w, "NAD+%r+++%s:%s+%s+%s+:::%r+%r+USA", q, surname, given, street, city[0], city[1],
                city[2]);
    } else if (middle[0]) {
        seg(w, "NAD+%r+++%s:%s:%s", q, surname, given, middle);
    } else {
        seg(w, "NAD+%r+++%s:%s", q, surname, given);
    }
    char sx[2] = {sex, 0};
    seg(w, "ATT+2++%r", sx);

    char d6[8], d6b[8];
    unsigned age = f->crew ? 21 + rnd(44) : (chance(6) ? rnd(2) : 2 + rnd(85));
    long birth = f->dep - (long)age * 525960L - (long)rnd(365) * 1440L;
    fmt_yymmdd(d6, birth);
    seg(w, "DTM+329:%r", d6);

    const char *emb = f->origin->code;
    seg(w, "LOC+22+%r", f->arrival);
    seg(w, "LOC+178+%r", emb);
    seg(w, "LOC+179+%r", f->arrival);
    if (!f->crew)
        seg(w, "LOC+174+%r", residence);
    if (f->crew)
        seg(w, "EMP+1+%r:110:111", chance(25) ? "CR1" : chance(90) ? "CR2" : "CR5");
    seg(w, "NAT+2+%r", nat);

    if (!f->crew) {
        if (f->pnr[0] == '\0' || chance(55))
            random_alnum(f->pnr, 6);
        seg(w, "RFF+AVF:%r", f->pnr);
    }
    seg(w, "RFF+ABO:%r%04u", f->flight, ++f->pax_seq);
    if (!f->crew && age >= 2 && chance(92)) {
        static const char letters[] = "ABCDEFGHJK";
        char seat[8];
        snprintf(seat, sizeof seat, "%u%c", 1 + rnd(60), letters[rnd(10)]);
        seg(w, "RFF+SEA:%r", seat);
    }

    char docno[16];
    random_passport(docno, nat);
    if (us)
        seg(w, "DOC+P:110:111+%r", docno);
    else
        seg(w, "DOC+P+%r", docno);
    fmt_yymmdd(d6b, f->dep + (long)(30 + rnd(3600)) * 1440L);
    seg(w, "DTM+36:%r", d6b);
    seg(w, "LOC+91+%r", nat);
    if (!f->crew && strcmp(nat, f->dest->country) != 0 && chance(15)) {
        snprintf(docno, sizeof docno, "%09u", rnd(1000000000u));
        if (us)
            seg(w, "DOC+V:110:111+%r", docno);
        else
            seg(w, "DOC+V+%r", docno);
        fmt_yymmdd(d6b, f->dep + (long)(10 + rnd(1800)) * 1440L);
        seg(w, "DTM+36:%r", d6b);
        seg(w, "LOC+91+%r", f->dest->country);
    }
}

/* ---- interchanges --------------------------------------------------------------------- */

typedef struct {
    unsigned long flights, interchanges, messages, travellers;
} Totals;

static void begin_interchange(Writer *w, const Flight *f, unsigned long ctrl)
{
    char date[8], hhmm[6], line[64];
    fmt_yymmdd(date, f->prep);
    fmt_hhmm(hhmm, f->prep);
    if (f->alt) {
        w->cds = ':', w->des = '(', w->rel = ')', w->term = '-';
        w->alt = true;
        snprintf(line, sizeof line, "QN %s%s", f->dest->typeb, w->line_eol);
        w_text(w, line);
        Civil p = civil_from_minutes(f->prep);
        snprintf(line, sizeof line, ".%s%s%s %s/%02d%02d%02d%s", f->origin->code,
                 chance(50) ? "XH" : "KK", f->carrier, f->carrier, p.d, p.hh, p.mm, w->line_eol);
        w_text(w, line);
        w_text(w, "UNA:(.) -");
    } else {
        w->cds = ':', w->des = '+', w->rel = '?', w->term = '\'';
        w->alt = false;
        w_text(w, "UNA:+.? '");
    }
    w_text(w, w->eol);
    char ref[16];
    snprintf(ref, sizeof ref, "%09lu", ctrl);
    if (chance(50))
        seg(w, "UNB+UNOA:4+%r+%r+%r:%r+%r++APIS", f->sender, f->dest->recipient, date, hhmm, ref);
    else
        seg(w, "UNB+UNOA:4+%r:ZZ+%r:ZZ+%r:%r+%r++APIS", f->sender, f->dest->recipient, date, hhmm,
            ref);
    if (f->ung)
        seg(w, "UNG+PAXLST+%r+%r+%r:%r+%u+UN+D:05B", f->sender, f->dest->recipient, date, hhmm,
            (unsigned)(ctrl % 100000u));
}

static void end_interchange(Writer *w, const Flight *f, unsigned long ctrl)
{
    char ref[16];
    snprintf(ref, sizeof ref, "%09lu", ctrl);
    if (f->ung)
        seg(w, "UNE+1+%u", (unsigned)(ctrl % 100000u));
    seg(w, "UNZ+1+%r", ref);
}

static void make_flight(Flight *f, unsigned long idx, unsigned avg_pax, unsigned alt_pct)
{
    memset(f, 0, sizeof *f);
    f->carrier = PICK(carriers);
    snprintf(f->sender, sizeof f->sender, "%s%s", f->carrier,
             chance(50)   ? "DCSAPI"
             : chance(50) ? "APIS"
                          : "AIRLINES");
    snprintf(f->flight, sizeof f->flight, "%s%u", f->carrier, 1 + rnd(9998));
    f->dest = &destinations[rnd(NELEM(destinations))];
    f->arrival = f->dest->arrivals[rnd(5)];
    do {
        f->origin = &airports[rnd(NELEM(airports))];
    } while (strcmp(f->origin->country, f->dest->country) == 0);
    /* 2024-05-01 plus ~300 flights a day */
    long day0 = days_from_civil(2024, 5, 1) + (long)(idx / 300);
    f->dep = day0 * 1440 + 5 * 60 + rnd(18 * 60);
    f->arr = f->dep + 60 + rnd(14 * 60);
    f->prep = f->dep - 20 - rnd(100);
    f->crew = chance(10);
    f->alt = chance(alt_pct);
    f->ung = chance(50);
    if (f->crew)
        f->n = 4 + rnd(17);
    else
        f->n = avg_pax > 1 ? avg_pax / 2 + rnd(avg_pax) : 1;
}

static void write_flight(Writer *w, Flight *f, unsigned part_max, unsigned long *ctrl, Totals *t)
{
    unsigned parts = part_max ? (f->n + part_max - 1) / part_max : 1;
    if (parts == 0)
        parts = 1;
    if (parts > 99)
        parts = 99, part_max = (f->n + 98) / 99;
    char arrd[8], arrt[6], dep10[12], arr10[12], msgref[16], tn[32];
    fmt_yymmdd(arrd, f->arr);
    fmt_hhmm(arrt, f->arr);
    fmt_yymmddhhmm(dep10, f->dep);
    fmt_yymmddhhmm(arr10, f->arr);
    snprintf(tn, sizeof tn, "%s%s", f->flight, arrd);
    const char *contact_s = PICK(ie_sur), *contact_g = PICK(es_f);
    char phone[2][20];
    for (int i = 0; i < 2; i++)
        snprintf(phone[i], sizeof phone[i], "%03u %03u %04u", 200 + rnd(800), rnd(1000),
                 rnd(10000));
    bool email = chance(40);
    char mail[48];
    snprintf(mail, sizeof mail, "APIS.AT.%s.AERO", f->carrier);

    unsigned done = 0;
    for (unsigned p = 1; p <= parts; p++) {
        unsigned n_here = parts == 1 ? f->n : (p < parts ? part_max : f->n - done);
        ++*ctrl;
        begin_interchange(w, f, *ctrl);
        snprintf(msgref, sizeof msgref, "PAX%06lu%02u", *ctrl % 1000000u, p);
        w->msg_segs = 0;
        /* 0068 is flight/date/time of arrival; S010 is 01:F alone, else 01:C, 02, .., nn:F */
        const char *first_last = parts == 1 ? "F" : p == 1 ? "C" : p == parts ? "F" : "";
        if (first_last[0])
            seg(w, "UNH+%r+PAXLST:D:05B:UN:IATA+%r/%r/%r+%02u:%r", msgref, f->flight, arrd, arrt, p,
                first_last);
        else
            seg(w, "UNH+%r+PAXLST:D:05B:UN:IATA+%r/%r/%r+%02u", msgref, f->flight, arrd, arrt, p);
        seg(w, f->crew ? "BGM+250+C" : "BGM+745");
        seg(w, "RFF+TN:%r:::1", tn);
        seg(w, "NAD+MS+++%s:%s", contact_s, contact_g);
        if (email)
            seg(w, "COM+%r:TE+%r:EM", phone[0], mail);
        else
            seg(w, "COM+%r:TE+%r:FX", phone[0], phone[1]);
        seg(w, "TDT+20+%r+++%r", f->flight, f->carrier);
        seg(w, "LOC+125+%r", f->origin->code);
        seg(w, "DTM+189:%r:201", dep10);
        seg(w, "LOC+87+%r", f->arrival);
        seg(w, "DTM+232:%r:201", arr10);
        for (unsigned k = 0; k < n_here; k++)
            write_person(w, f);
        done += n_here;
        seg(w, "CNT+%r:%u", f->crew ? "41" : "42", f->n);
        seg(w, "UNT+%u+%r", w->msg_segs + 1, msgref);
        end_interchange(w, f, *ctrl);
        t->interchanges++;
        t->messages++;
    }
    t->travellers += f->n;
    t->flights++;
}

/* ---- main ----------------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("usage: gen_paxlst [options]\n"
          "  -o, --output FILE     write to FILE instead of stdout\n"
          "      --flights N       number of flights (default 2000)\n"
          "      --size MB         keep adding flights until at least MB*10^6 bytes\n"
          "                        (overrides --flights)\n"
          "      --pax N           average travellers per passenger flight (default 200)\n"
          "      --seed S          PRNG seed (default 1)\n"
          "      --multipart[=K]   split flights into parts of at most K travellers\n"
          "                        (default K 100), one interchange per part\n"
          "      --crlf            CR LF after each segment (default LF)\n"
          "      --no-newlines     nothing between segments\n"
          "      --una-alt[=PCT]   PCT%% of flights (default 10) as Type-B with UNA:(.) -\n"
          "  -h, --help            this text\n",
          out);
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || *s == '-' || v > max) {
        fprintf(stderr, "gen_paxlst: bad value for %s: '%s'\n", opt, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    enum { O_FLIGHTS = 256, O_PAX, O_SEED, O_MULTI, O_CRLF, O_NONL, O_ALT, O_SIZE };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"flights", required_argument, NULL, O_FLIGHTS},
        {"size", required_argument, NULL, O_SIZE},
        {"pax", required_argument, NULL, O_PAX},
        {"seed", required_argument, NULL, O_SEED},
        {"multipart", optional_argument, NULL, O_MULTI},
        {"crlf", no_argument, NULL, O_CRLF},
        {"no-newlines", no_argument, NULL, O_NONL},
        {"una-alt", optional_argument, NULL, O_ALT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *outpath = NULL;
    unsigned long flights = 2000, pax = 200, seed = 1, part_max = 0, alt_pct = 0, size_mb = 0;
    const char *eol = "\n";
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            outpath = optarg;
            break;
        case O_FLIGHTS:
            flights = parse_num("--flights", optarg, 100000000ul);
            break;
        case O_SIZE:
            size_mb = parse_num("--size", optarg, 1000000ul);
            break;
        case O_PAX:
            pax = parse_num("--pax", optarg, 100000ul);
            break;
        case O_SEED:
            seed = parse_num("--seed", optarg, ~0ul);
            break;
        case O_MULTI:
            part_max = optarg ? parse_num("--multipart", optarg, 99999ul) : 100;
            if (part_max == 0) {
                fputs("gen_paxlst: --multipart needs K >= 1\n", stderr);
                return 2;
            }
            break;
        case O_CRLF:
            eol = "\r\n";
            break;
        case O_NONL:
            eol = "";
            break;
        case O_ALT:
            alt_pct = optarg ? parse_num("--una-alt", optarg, 100ul) : 10;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    Writer w = {0};
    w.out = stdout;
    if (outpath && !(w.out = fopen(outpath, "wb"))) {
        fprintf(stderr, "gen_paxlst: %s: %s\n", outpath, strerror(errno));
        return 1;
    }
    w.buf = malloc(OUTBUF);
    if (!w.buf) {
        fputs("gen_paxlst: out of memory\n", stderr);
        return 1;
    }
    w.eol = eol;
    w.line_eol = eol[0] ? eol : "\n";
    rng_state = seed ^ 0x50A1157ull;

    Totals t = {0};
    unsigned long ctrl = 0;
    uint64_t target = (uint64_t)size_mb * 1000000u;
    for (unsigned long i = 0; size_mb ? w.bytes < target : i < flights; i++) {
        Flight f;
        make_flight(&f, i, (unsigned)pax, (unsigned)alt_pct);
        write_flight(&w, &f, (unsigned)part_max, &ctrl, &t);
    }
    w_flush(&w);
    if (w.out != stdout ? fclose(w.out) != 0 : fflush(w.out) != 0) {
        fprintf(stderr, "gen_paxlst: write error: %s\n", strerror(errno));
        return 1;
    }
    free(w.buf);
    fprintf(stderr,
            "gen_paxlst: %llu bytes, %lu interchanges, %lu messages, %lu flights, "
            "%lu travellers (seed %lu)\n",
            (unsigned long long)w.bytes, t.interchanges, t.messages, t.flights, t.travellers, seed);
    return 0;
}
