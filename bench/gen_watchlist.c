/* bench/gen_watchlist.c — deterministic generator of watchlist import files (JSON Lines, the
 * format of `paxscreen lists import`, interfaces.md "Watchlist entry") for the import benchmark
 * (bench/bench_import.c) and for screening tests at scale.
 *
 * Writes N person entries spread over the lists wanted / missing / health (names from several
 * naming traditions, some in their native script as aliases, weak aliases, one or two birth
 * dates of varying precision, nationalities, documents of varying punctuation and issuer code
 * style) and M document-only entries in sltd (lost/stolen documents; about 1 in 200 is a
 * number pattern instead of a number). Same options and seed give the same bytes (splitmix64
 * PRNG, no clock, no locale). Every line is a valid entry.
 *
 * usage: gen_watchlist [--persons N] [--documents M] [--seed S] [--deletes K] > FILE.jsonl
 *   --deletes K appends K delete lines for random person ids in list wanted (for update
 *   benchmarks; ids generated into another list count as missing). */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include "bench_prng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



static bool chance(unsigned pct)
{
    return rnd(100) < pct;
}

#define PICK(a) ((a)[rnd(NELEM(a))])

/* One naming tradition: Latin-script surnames and given names, optionally the same people in
 * their native script (index-aligned with the Latin lists), and typical nationalities. */
typedef struct tradition {
    const char *const *surnames;
    const char *const *native_surnames; /* NULL or index-aligned with surnames */
    unsigned n_surnames;
    const char *const *given;
    const char *const *native_given;
    unsigned n_given;
    const char *const *countries;
    unsigned n_countries;
} tradition;

static const char *const es_sur[] = {
    "MARTINEZ", "GARCIA", "LOPEZ",  "HERNANDEZ",    "GONZALEZ",   "RODRIGUEZ", "PEREZ", "SANCHEZ",
    "RAMIREZ",  "TORRES", "FLORES", "GARCÍA-LÓPEZ", "DE LA CRUZ", "NÚÑEZ",     "IBÁÑEZ"};
static const char *const es_giv[] = {"JULIO", "MARIA JOSE", "JOSÉ LUIS", "CARMEN", "ANTONIO",
                                     "LUCÍA", "FRANCISCO",  "ISABEL",    "JAVIER", "ROCÍO"};
static const char *const es_cty[] = {"ESP", "MEX", "COL", "ARG", "PE", "es", "VEN", "CHL"};

static const char *const ru_sur[] = {"PETROV", "IVANOV",  "SMIRNOV",  "KUZNETSOV",
                                     "POPOV",  "VOLKOV",  "SOKOLOV",  "LEBEDEV",
                                     "KOZLOV", "NOVIKOV", "ZAKHAROV", "ORLOV"};
static const char *const ru_sur_cy[] = {"Петров", "Иванов",  "Смирнов", "Кузнецов",
                                        "Попов",  "Волков",  "Соколов", "Лебедев",
                                        "Козлов", "Новиков", "Захаров", "Орлов"};
static const char *const ru_giv[] = {"IVAN",    "DMITRI",  "SERGEI", "OLGA",
                                     "NATALIA", "ALEKSEI", "ANNA",   "MIKHAIL"};
static const char *const ru_giv_cy[] = {"Иван",    "Дмитрий", "Сергей", "Ольга",
                                        "Наталья", "Алексей", "Анна",   "Михаил"};
static const char *const ru_cty[] = {"RUS", "UKR", "BLR", "KAZ", "RU", "UA"};

static const char *const ar_sur[] = {"AL-RASHID", "HADDAD",     "EL MASRI", "BIN LADEN",
                                     "KHALIL",    "AL HASHIMI", "MANSOUR",  "ABDULLAH",
                                     "IBN SAUD",  "NASSER",     "AL-FAYED"};
static const char *const ar_giv[] = {"KHALID", "MOHAMMED", "AHMED", "FATIMA",
                                     "OMAR",   "YOUSSEF",  "LAYLA", "HASSAN BIN ALI"};
static const char *const ar_cty[] = {"ARE", "SAU", "EGY", "JOR", "LBN", "IRQ", "SYR", "MAR"};

static const char *const de_sur[] = {"MÜLLER",  "SCHMIDT", "SCHNEIDER",    "FISCHER",
                                     "WEBER",   "MEYER",   "WAGNER",       "BECKER",
                                     "SCHÄFER", "KOCH",    "VAN DER BERG", "GROSSMANN"};
static const char *const de_giv[] = {"JÜRGEN", "KLAUS",  "ANNA", "SABINE",
                                     "STEFAN", "MONIKA", "UWE",  "KATHARINA"};
static const char *const de_cty[] = {"DEU", "D", "AUT", "CHE", "NLD", "de"};

static const char *const zh_sur[] = {"WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "HUANG", "ZHAO"};
static const char *const zh_sur_native[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵"};
static const char *const zh_giv[] = {"WEI", "FANG", "XIU YING", "JUN", "LEI", "YAN"};
static const char *const zh_giv_native[] = {"伟", "芳", "秀英", "军", "磊", "燕"};
static const char *const zh_cty[] = {"CHN", "TWN", "HKG", "SGP", "CN"};

static const char *const vn_sur[] = {"NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU"};
static const char *const vn_sur_native[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"};
static const char *const vn_giv[] = {"THI HOA", "VAN MINH", "DUC ANH", "THI LAN"};
static const char *const vn_giv_native[] = {"Thị Hoa", "Văn Minh", "Đức Anh", "Thị Lan"};
static const char *const vn_cty[] = {"VNM", "VN"};

static const char *const en_sur[] = {"SMITH",   "O'BRIEN", "JOHNSON",   "WILLIAMS", "BROWN",
                                     "JONES",   "TAYLOR",  "MACDONALD", "D'SOUZA",  "WILSON",
                                     "NKEMELU", "OKAFOR",  "MENSAH"};
static const char *const en_giv[] = {"JOHN",  "MARY ANN", "PATRICK", "ELIZABETH",
                                     "JAMES", "CHIDI",    "KWAME",   "SARAH"};
static const char *const en_cty[] = {"GBR", "IRL", "USA", "NGA", "GHA", "gb", "US", "CAN"};

#define TRADITION(s, sn, g, gn, c)                                                                 \
    {                                                                                              \
        s, sn, NELEM(s), g, gn, NELEM(g), c, NELEM(c)                                              \
    }

static const tradition traditions[] = {
    TRADITION(es_sur, NULL, es_giv, NULL, es_cty),
    TRADITION(ru_sur, ru_sur_cy, ru_giv, ru_giv_cy, ru_cty),
    TRADITION(ar_sur, NULL, ar_giv, NULL, ar_cty),
    TRADITION(de_sur, NULL, de_giv, NULL, de_cty),
    TRADITION(zh_sur, zh_sur_native, zh_giv, zh_giv_native, zh_cty),
    TRADITION(vn_sur, vn_sur_native, vn_giv, vn_giv_native, vn_cty),
    TRADITION(en_sur, NULL, en_giv, NULL, en_cty),
};

static const char *const person_lists[] = {"wanted", "wanted", "wanted", "missing", "health"};
static const char *const categories[] = {"arrest warrant",
                                         "international arrest warrant",
                                         "fraud",
                                         "organized crime",
                                         "missing minor",
                                         "missing adult",
                                         "quarantine order",
                                         "contact tracing"};
static const char *const actions[] = {"", "", "", "refer", "no_board", "notify"};
static const char *const doc_types[] = {"P", "P", "P", "ID", "I", "V", "AC"};
static const char *const statuses[] = {"stolen", "stolen",  "lost",
                                       "lost",   "revoked", "invalidated"};
static const char *const genders[] = {"M", "F", "M", "F", "X", "U"};

/* A document number: 2 letters and 7 digits, or 9 digits; some written with a space and a
 * dash, some in lower case (as typed into a national system). */
static void doc_number(char *out, size_t cap)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    char raw[16];
    bool alpha = chance(60);
    if (alpha)
        snprintf(raw, sizeof raw, "%c%c%07u", letters[rnd(23)], letters[rnd(23)], rnd(10000000));
    else
        snprintf(raw, sizeof raw, "%09u", rnd(1000000000));
    if (alpha && chance(5)) {
        raw[0] = (char)(raw[0] - 'A' + 'a');
        raw[1] = (char)(raw[1] - 'A' + 'a');
    }
    if (chance(15))
        snprintf(out, cap, "%.2s %.3s-%s", raw, raw + 2, raw + 5);
    else
        snprintf(out, cap, "%s", raw);
}

static void birth_date(char *out, size_t cap)
{
    unsigned y = 1930 + rnd(90), m = 1 + rnd(12), d = 1 + rnd(28);
    unsigned p = rnd(100);
    if (p < 80)
        snprintf(out, cap, "%u-%02u-%02u", y, m, d);
    else if (p < 90)
        snprintf(out, cap, "%u-%02u", y, m);
    else
        snprintf(out, cap, "%u", y);
}

static void person(uint64_t i)
{
    const tradition *t = &traditions[rnd(NELEM(traditions))];
    unsigned s = rnd(t->n_surnames), g = rnd(t->n_given);
    const char *list = PICK(person_lists);
    printf("{\"list\":\"%s\",\"id\":\"P-%08llu\"", list, (unsigned long long)i);
    const char *action = PICK(actions);
    if (*action)
        printf(",\"action\":\"%s\"", action);
    printf(",\"category\":\"%s\"", PICK(categories));

    printf(",\"names\":[{\"surname\":\"%s\",\"given_names\":\"%s\",\"type\":\"primary\"}",
           t->surnames[s], t->given[g]);
    if (t->native_surnames && chance(60))
        printf(",{\"full\":\"%s %s\",\"type\":\"alias\"}", t->native_given[g],
               t->native_surnames[s]);
    unsigned aliases = chance(40) ? 1 + rnd(2) : 0;
    for (unsigned a = 0; a < aliases; a++) {
        const char *type = chance(50) ? "alias" : "weak_alias";
        if (chance(50))
            printf(",{\"full\":\"%s %s\",\"type\":\"%s\"}", t->given[rnd(t->n_given)],
                   t->surnames[rnd(t->n_surnames)], type);
        else
            printf(",{\"surname\":\"%s\",\"given_names\":\"%s\",\"type\":\"%s\"}",
                   t->surnames[rnd(t->n_surnames)], t->given[g], type);
    }
    printf("]");

    char date[16];
    unsigned dates = chance(85) ? (chance(15) ? 2 : 1) : 0;
    if (dates) {
        printf(",\"birth_dates\":[");
        for (unsigned k = 0; k < dates; k++) {
            birth_date(date, sizeof date);
            printf("%s\"%s\"", k ? "," : "", date);
        }
        printf("]");
    }
    if (chance(90))
        printf(",\"gender\":\"%s\"", PICK(genders));
    unsigned nats = chance(80) ? (chance(10) ? 2 : 1) : 0;
    if (nats) {
        printf(",\"nationalities\":[");
        for (unsigned k = 0; k < nats; k++)
            printf("%s\"%s\"", k ? "," : "", t->countries[rnd(t->n_countries)]);
        printf("]");
    }
    unsigned docs = chance(55) ? (chance(20) ? 2 : 1) : 0;
    if (docs) {
        printf(",\"documents\":[");
        char num[32];
        for (unsigned k = 0; k < docs; k++) {
            doc_number(num, sizeof num);
            printf("%s{\"type\":\"%s\",\"number\":\"%s\",\"issuer\":\"%s\"}", k ? "," : "",
                   PICK(doc_types), num, t->countries[rnd(t->n_countries)]);
        }
        printf("]");
    }
    if (chance(1))
        printf(",\"name_patterns\":[\"^%s\\\\b\"]", t->surnames[s]);
    printf("}\n");
}

static void document(uint64_t i)
{
    const tradition *t = &traditions[rnd(NELEM(traditions))];
    printf("{\"list\":\"sltd\",\"id\":\"D-%08llu\",\"documents\":[", (unsigned long long)i);
    if (rnd(200) == 0) {
        printf("{\"pattern\":\"L%04u[0-9]{4}\"", rnd(10000));
    } else {
        char num[32];
        doc_number(num, sizeof num);
        printf("{\"type\":\"%s\",\"number\":\"%s\"", PICK(doc_types), num);
    }
    printf(",\"issuer\":\"%s\",\"status\":\"%s\"}]}\n", t->countries[rnd(t->n_countries)],
           PICK(statuses));
}

int main(int argc, char **argv)
{
    uint64_t persons = 1000, documents = 1000, deletes = 0, seed = 1;
    static const struct option opts[] = {
        {"persons", required_argument, NULL, 'p'}, {"documents", required_argument, NULL, 'd'},
        {"deletes", required_argument, NULL, 'x'}, {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "p:d:x:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            persons = strtoull(optarg, NULL, 10);
            break;
        case 'd':
            documents = strtoull(optarg, NULL, 10);
            break;
        case 'x':
            deletes = strtoull(optarg, NULL, 10);
            break;
        case 's':
            seed = strtoull(optarg, NULL, 10);
            break;
        default:
            fputs("usage: gen_watchlist [--persons N] [--documents M] [--deletes K] [--seed S] "
                  "> FILE.jsonl\n",
                  c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    rng_state = seed;
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    /* interleave the two kinds, as real exports mix them */
    uint64_t p = 0, d = 0;
    while (p < persons || d < documents) {
        bool take_person =
            d >= documents || (p < persons && rnd64() % (persons + documents) < persons);
        if (take_person)
            person(p++);
        else
            document(d++);
    }
    for (uint64_t k = 0; k < deletes && persons; k++) {
        const char *list = person_lists[0];
        printf("{\"list\":\"%s\",\"id\":\"P-%08llu\",\"deleted\":true}\n", list,
               (unsigned long long)(rnd64() % persons));
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
