/* bench/gen_eval.c — deterministic generator of the labelled match-quality set used by
 * bench/match_quality.sh: a watchlist (JSON Lines, interfaces.md "Watchlist entry", all in list
 * "wanted") and a traveller file (JSON Lines of "Traveller") holding
 *   - listed travellers, id "L-<kind>-<entry id>-<n>": each derived from one random entry by
 *     exactly one kind of variation (exact, typo1, typo2, translit, swap, middle_missing,
 *     middle_extra, compound, native_alias, initials, dob_variant, doc_confusable, doc_only),
 *     the kinds spread evenly; each should hit its entry;
 *   - clean travellers, id "C-<n>": random names drawn like the watchlist's (never equal to a
 *     listed name and birth date) and near misses (a listed surname with another given name and
 *     birth year, a listed given name with another surname, or only a very common token); none
 *     should hit.
 * Names: ten naming traditions, each with a hand-written head of common names (with the
 * native-script tables for Cyrillic, Arabic and Greek, each with its standard and one other
 * romanization, and the romanization variants table) and a synthetic long tail of tens of
 * thousands of surnames and thousands of given names built from syllable inventories and
 * tradition-typical endings; names are drawn with Zipf-like frequencies (rank r with weight
 * 1/(r+10)), so a few names are very common and most are rare.
 * Same options give the same bytes (splitmix64 PRNG, no clock, no locale, no libm); the name
 * universe is the same for every seed. Counts and name statistics go to stderr.
 *
 * usage: gen_eval [--entries N] [--listed K] [--clean M] [--seed S] --out DIR
 *   writes DIR/watchlist.jsonl and DIR/travellers.jsonl (DIR is created when absent). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include "bench_prng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>



/* uniform in [0, 1) */
static double uniform(void)
{
    return (double)(rnd64() >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(double p)
{
    return uniform() < p;
}

/* ---- name pools ---------------------------------------------------------------------------- */

typedef struct {
    const char *std; /* standard romanization (ICAO 9303 for Cyrillic, ELOT 743 for Greek) */
    const char *alt; /* another common romanization (native-script tables only) */
    const char *nat; /* native script (native-script tables only) */
    char g;          /* 'M' or 'F' for given names, 0 for surnames */
} Tok;

/* clang-format off */
#define M(s)        {s, NULL, NULL, 'M'}
#define F(s)        {s, NULL, NULL, 'F'}
#define S(s)        {s, NULL, NULL, 0}
#define NM(s, a, n) {s, a, n, 'M'}
#define NF(s, a, n) {s, a, n, 'F'}
#define NS(s, a, n) {s, a, n, 0}
/* clang-format on */

/* Head tables: the common names of each tradition, most frequent first (they take the first Zipf
 * ranks); the synthetic tail follows them (build_pools). */
static const Tok es_sur[] = {
    S("GARCIA"),  S("MARTINEZ"),   S("RODRIGUEZ"), S("LOPEZ"),   S("HERNANDEZ"), S("GONZALEZ"),
    S("PEREZ"),   S("SANCHEZ"),    S("RAMIREZ"),   S("TORRES"),  S("FLORES"),    S("JIMENEZ"),
    S("MORALES"), S("DE LA CRUZ"), S("DEL RIO"),   S("DE LEON"), S("DOS SANTOS")};
static const Tok es_giv[] = {M("JULIO"),  M("CARLOS"),    M("JOSE"),   M("JUAN"),
                             M("MIGUEL"), M("ALEJANDRO"), M("JAVIER"), M("DIEGO"),
                             M("PABLO"),  F("MARIA"),     F("LUCIA"),  F("CARMEN"),
                             F("ISABEL"), F("SOFIA"),     F("ELENA"),  F("ROSA")};
static const Tok en_sur[] = {S("SMITH"),   S("JOHNSON"), S("WILLIAMS"), S("BROWN"),    S("JONES"),
                             S("TAYLOR"),  S("WILSON"),  S("DAVIES"),   S("EVANS"),    S("THOMAS"),
                             S("ROBERTS"), S("WALKER"),  S("WRIGHT"),   S("THOMPSON"), S("HUGHES")};
static const Tok en_giv[] = {M("JOHN"),  M("JAMES"),    M("ROBERT"),    M("MICHAEL"), M("WILLIAM"),
                             M("DAVID"), M("RICHARD"),  M("PETER"),     F("MARY"),    F("SARAH"),
                             F("EMMA"),  F("JENNIFER"), F("ELIZABETH"), F("LAURA"),   F("JESSICA")};
/* WANG first: drawn more often than its rank gives (Chinese surnames are concentrated) */
static const Tok zh_sur[] = {S("WANG"), S("LI"),    S("ZHANG"), S("LIU"), S("CHEN"),
                             S("YANG"), S("HUANG"), S("ZHAO"),  S("WU"),  S("ZHOU"),
                             S("XU"),   S("SUN"),   S("MA"),    S("ZHU"), S("GUO")};
static const Tok zh_giv[] = {
    M("WEI"), M("JUN"),  M("LEI"),     M("YONG"), M("JIE"), M("TAO"),  M("QIANG"), M("XIAOMING"),
    M("HAO"), F("FANG"), F("XIUYING"), F("NA"),   F("MIN"), F("JING"), F("LING"),  F("YAN")};
static const Tok de_sur[] = {S("MUELLER"),      S("SCHMIDT"),       S("SCHNEIDER"), S("FISCHER"),
                             S("WEBER"),        S("MEYER"),         S("WAGNER"),    S("BECKER"),
                             S("SCHULZ"),       S("HOFFMANN"),      S("SCHROEDER"), S("KOCH"),
                             S("VAN DER BERG"), S("VAN DEN BOSCH"), S("VON HALDEN")};
static const Tok de_giv[] = {M("HANS"),    M("KLAUS"),  M("JUERGEN"), M("STEFAN"), M("WOLFGANG"),
                             M("ANDREAS"), M("MARKUS"), M("FRANK"),   M("UWE"),    F("SABINE"),
                             F("KATRIN"),  F("MONIKA"), F("PETRA"),   F("URSULA"), F("HEIKE")};
static const Tok pl_sur[] = {S("NOWAK"),     S("KOWALSKI"), S("WISNIEWSKI"),  S("WOJCIK"),
                             S("KOWALCZYK"), S("KAMINSKI"), S("LEWANDOWSKI"), S("ZIELINSKI"),
                             S("SZYMANSKI"), S("WOZNIAK"),  S("DABROWSKI"),   S("KOZLOWSKI"),
                             S("JANKOWSKI"), S("MAZUR"),    S("KRAWCZYK")};
static const Tok pl_giv[] = {M("PIOTR"),     M("KRZYSZTOF"), M("TOMASZ"),     M("PAWEL"),
                             M("MARCIN"),    M("MICHAL"),    M("GRZEGORZ"),   M("JAKUB"),
                             F("AGNIESZKA"), F("KATARZYNA"), F("MALGORZATA"), F("EWA"),
                             F("JOANNA"),    F("MAGDALENA"), F("ZOFIA")};
static const Tok ng_sur[] = {S("ADEYEMI"), S("OKAFOR"), S("OKONKWO"),  S("ADEBAYO"),  S("EZE"),
                             S("NWOSU"),   S("BELLO"),  S("OGUNDIPE"), S("BALOGUN"),  S("CHUKWU"),
                             S("ADEWALE"), S("OKORO"),  S("OBI"),      S("ABUBAKAR"), S("DANJUMA")};
static const Tok ng_giv[] = {M("CHINEDU"), M("OLUWASEUN"), M("EMEKA"),   M("TUNDE"),
                             M("IFEANYI"), M("BABATUNDE"), M("OLUMIDE"), M("CHIDI"),
                             M("SEGUN"),   F("ADEBOLA"),   F("NGOZI"),   F("CHIAMAKA"),
                             F("FOLAKE"),  F("YETUNDE"),   F("AMAKA")};
static const Tok in_sur[] = {S("SHARMA"),    S("PATEL"),      S("SINGH"), S("KUMAR"),
                             S("GUPTA"),     S("REDDY"),      S("IYER"),  S("NAIR"),
                             S("CHAUDHARY"), S("SRINIVASAN"), S("MEHTA"), S("JOSHI"),
                             S("BANERJEE"),  S("MUKHERJEE"),  S("RAO")};
static const Tok in_giv[] = {M("RAHUL"),  M("AMIT"),   M("RAJESH"),  M("VIKRAM"), M("DEEPAK"),
                             M("ARJUN"),  M("SANJAY"), M("RAVI"),    M("SURESH"), F("PRIYA"),
                             F("SUNITA"), F("ANITA"),  F("LAKSHMI"), F("KAVITA"), F("POOJA")};

static const Tok ru_sur[] = {
    NS("PETROV", "PETROFF", "Петров"),     NS("IVANOV", "IWANOW", "Иванов"),
    NS("SMIRNOV", "SMIRNOFF", "Смирнов"),  NS("KUZNETSOV", "KUZNETZOV", "Кузнецов"),
    NS("POPOV", "POPOFF", "Попов"),        NS("SOKOLOV", "SOKOLOW", "Соколов"),
    NS("LEBEDEV", "LEBEDEW", "Лебедев"),   NS("KOZLOV", "KOSLOW", "Козлов"),
    NS("NOVIKOV", "NOWIKOW", "Новиков"),   NS("MOROZOV", "MOROSOW", "Морозов"),
    NS("VOLKOV", "WOLKOW", "Волков"),      NS("SOLOVEV", "SOLOVYOV", "Соловьёв"),
    NS("VASILEV", "VASILYEV", "Васильев"), NS("ZAITSEV", "ZAYTSEV", "Зайцев"),
    NS("PAVLOV", "PAWLOW", "Павлов"),      NS("SEMENOV", "SEMYONOV", "Семёнов"),
    NS("FEDOROV", "FYODOROV", "Фёдоров"),  NS("MIKHAILOV", "MIKHAYLOV", "Михайлов"),
    NS("BELIAEV", "BELYAEV", "Беляев"),    NS("ORLOV", "ORLOFF", "Орлов")};
static const Tok ru_giv[] = {NM("IVAN", "IWAN", "Иван"),
                             NM("SERGEI", "SERGEY", "Сергей"),
                             NM("IURII", "YURIY", "Юрий"),
                             NM("ALEKSANDR", "ALEXANDER", "Александр"),
                             NM("ALEKSEI", "ALEXEY", "Алексей"),
                             NM("DMITRII", "DMITRY", "Дмитрий"),
                             NM("ANDREI", "ANDREY", "Андрей"),
                             NM("NIKOLAI", "NIKOLAY", "Николай"),
                             NM("MIKHAIL", "MICHAIL", "Михаил"),
                             NM("VLADIMIR", "WLADIMIR", "Владимир"),
                             NM("GRIGORII", "GRIGORY", "Григорий"),
                             NM("EVGENII", "YEVGENIY", "Евгений"),
                             NF("NATALIA", "NATALYA", "Наталья"),
                             NF("TATIANA", "TATYANA", "Татьяна"),
                             NF("ELENA", "YELENA", "Елена"),
                             NF("EKATERINA", "YEKATERINA", "Екатерина"),
                             NF("IULIIA", "YULIYA", "Юлия"),
                             NF("KSENIIA", "XENIA", "Ксения"),
                             NF("ANASTASIIA", "ANASTASIYA", "Анастасия"),
                             NF("LIUDMILA", "LYUDMILA", "Людмила")};
/* MUHAMMAD first: drawn more often than its rank gives (draw_name) */
static const Tok ar_giv[] = {
    NM("MUHAMMAD", "MOHAMED", "محمد"),   NM("ALI", "ALY", "علي"),
    NM("HASSAN", "HASAN", "حسن"),        NM("HUSSEIN", "HUSAIN", "حسين"),
    NM("AHMAD", "AHMED", "أحمد"),        NM("OMAR", "UMAR", "عمر"),
    NM("KHALID", "KHALED", "خالد"),      NM("YUSUF", "YOUSSEF", "يوسف"),
    NM("IBRAHIM", "EBRAHIM", "إبراهيم"), NM("ABDULLAH", "ABDALLAH", "عبدالله"),
    NM("SAEED", "SAID", "سعيد"),         NM("TARIQ", "TAREK", "طارق"),
    NM("KARIM", "KAREEM", "كريم"),       NM("MUSTAFA", "MOSTAFA", "مصطفى"),
    NM("JAMAL", "GAMAL", "جمال"),        NF("FATIMA", "FATMA", "فاطمة"),
    NF("AISHA", "AYESHA", "عائشة"),      NF("MARYAM", "MARIAM", "مريم"),
    NF("ZAINAB", "ZEINAB", "زينب"),      NF("NOUR", "NUR", "نور"),
    NF("LAYLA", "LEILA", "ليلى")};
static const Tok ar_sur[] = {NS("HADDAD", "HADAD", "حداد"),
                             NS("MANSOUR", "MANSUR", "منصور"),
                             NS("KHOURY", "KHOURI", "خوري"),
                             NS("NASSER", "NASIR", "ناصر"),
                             NS("SALEH", "SALIH", "صالح"),
                             NS("ABBAS", "ABBASS", "عباس"),
                             NS("HAMDAN", "HAMDANE", "حمدان"),
                             NS("QASIM", "KASSEM", "قاسم"),
                             NS("SULTAN", "SOLTAN", "سلطان"),
                             NS("OTHMAN", "OSMAN", "عثمان"),
                             NS("ZAYED", "ZAID", "زايد"),
                             NS("JABER", "JABIR", "جابر"),
                             NS("HAMID", "HAMEED", "حميد"),
                             NS("SHARIF", "SHERIF", "شريف"),
                             NS("AZIZ", "AZEEZ", "عزيز"),
                             NS("KHALIL", "KHALEEL", "خليل"),
                             NS("AL RASHID", "AL RASHEED", "الرشيد"),
                             NS("AL FARSI", "EL FARSI", "الفارسي"),
                             NS("AL HAMADI", "AL HAMMADI", "الحمادي"),
                             NS("BIN SALEM", "BEN SALEM", "بن سالم"),
                             NS("ABU SAMRA", "ABOU SAMRA", "أبو سمرة"),
                             NS("EL SAYED", "AL SAYYID", "السيد")};
static const Tok el_giv[] = {NM("GIORGOS", "YORGOS", "Γιώργος"),
                             NM("DIMITRIS", "DEMETRIS", "Δημήτρης"),
                             NM("NIKOS", "NICOS", "Νίκος"),
                             NM("KONSTANTINOS", "CONSTANTINOS", "Κωνσταντίνος"),
                             NM("GIANNIS", "YANNIS", "Γιάννης"),
                             NM("CHRISTOS", "HRISTOS", "Χρήστος"),
                             NM("PANAGIOTIS", "PANAYOTIS", "Παναγιώτης"),
                             NM("ATHANASIOS", "ATHANASSIOS", "Αθανάσιος"),
                             NM("SPYROS", "SPIROS", "Σπύρος"),
                             NM("THEODOROS", "TEODOROS", "Θεόδωρος"),
                             NM("STEFANOS", "STEPHANOS", "Στέφανος"),
                             NM("ALEXANDROS", "ALEKSANDROS", "Αλέξανδρος"),
                             NM("MICHALIS", "MIHALIS", "Μιχάλης"),
                             NF("ELENI", "HELENI", "Ελένη"),
                             NF("SOFIA", "SOPHIA", "Σοφία"),
                             NF("AIKATERINI", "EKATERINI", "Αικατερίνη"),
                             NF("VASILIKI", "VASSILIKI", "Βασιλική"),
                             NF("DESPOINA", "DESPINA", "Δέσποινα"),
                             NF("EIRINI", "IRINI", "Ειρήνη"),
                             NF("KATERINA", "CATERINA", "Κατερίνα")};
static const Tok el_sur[] = {NS("PAPADOPOULOS", "PAPADOPULOS", "Παπαδόπουλος"),
                             NS("PAPADAKIS", "PAPADAKES", "Παπαδάκης"),
                             NS("GEORGIOU", "YEORYIOU", "Γεωργίου"),
                             NS("OIKONOMOU", "ECONOMOU", "Οικονόμου"),
                             NS("NIKOLAOU", "NICOLAOU", "Νικολάου"),
                             NS("IOANNOU", "IOANOU", "Ιωάννου"),
                             NS("DIMITRIOU", "DEMETRIOU", "Δημητρίου"),
                             NS("KONSTANTINOU", "CONSTANTINOU", "Κωνσταντίνου"),
                             NS("VASILEIOU", "VASSILIOU", "Βασιλείου"),
                             NS("KARAGIANNIS", "KARAYANNIS", "Καραγιάννης"),
                             NS("MAKRIS", "MACRIS", "Μακρής"),
                             NS("ALEXIOU", "ALEKSIOU", "Αλεξίου"),
                             NS("PETROPOULOS", "PETROPULOS", "Πετρόπουλος"),
                             NS("CHRISTODOULOU", "HRISTODOULOU", "Χριστοδούλου"),
                             NS("ANTONIOU", "ANDONIOU", "Αντωνίου"),
                             NS("STATHOPOULOS", "STATHOPULOS", "Σταθόπουλος"),
                             NS("KOSTOPOULOS", "COSTOPOULOS", "Κωστόπουλος"),
                             NS("MICHAILIDIS", "MIHAILIDIS", "Μιχαηλίδης"),
                             NS("RAFTOPOULOS", "RAFTOPULOS", "Ραφτόπουλος"),
                             NS("SPANOS", "SPANNOS", "Σπανός")};

static const char *const es_nat[] = {"ESP", "MEX", "COL", "ARG"};
static const char *const en_nat[] = {"GBR", "USA", "CAN", "AUS", "IRL"};
static const char *const ar_nat[] = {"SAU", "EGY", "JOR", "IRQ", "SYR", "LBN", "ARE"};
static const char *const ru_nat[] = {"RUS", "UKR", "BLR", "KAZ"};
static const char *const zh_nat[] = {"CHN", "TWN", "SGP"};
static const char *const de_nat[] = {"DEU", "AUT", "CHE", "NLD"};
static const char *const pl_nat[] = {"POL"};
static const char *const el_nat[] = {"GRC", "CYP"};
static const char *const ng_nat[] = {"NGA"};
static const char *const in_nat[] = {"IND"};

typedef struct {
    const Tok *sur, *giv;
    size_t nsur, ngiv;
    const char *const *nats;
    size_t nnat;
    bool native; /* the tables carry native script and another romanization */
} Culture;

/* clang-format off */
#define CULT(s, g, n, nat) {s, g, NELEM(s), NELEM(g), n, NELEM(n), nat}
/* clang-format on */
enum { C_ES, C_EN, C_AR, C_RU, C_ZH, C_DE, C_PL, C_EL, C_NG, C_IN, NCULT };
/* the hand-written heads; cults[] (built by build_pools) holds head + synthetic tail */
static const Culture heads[NCULT] = {
    CULT(es_sur, es_giv, es_nat, false), CULT(en_sur, en_giv, en_nat, false),
    CULT(ar_sur, ar_giv, ar_nat, true),  CULT(ru_sur, ru_giv, ru_nat, true),
    CULT(zh_sur, zh_giv, zh_nat, false), CULT(de_sur, de_giv, de_nat, false),
    CULT(pl_sur, pl_giv, pl_nat, false), CULT(el_sur, el_giv, el_nat, true),
    CULT(ng_sur, ng_giv, ng_nat, false), CULT(in_sur, in_giv, in_nat, false)};

/* Romanization variants: any member of a group may stand for any other. */
#define MAXVAR 6
static const char *const variants[][MAXVAR] = {
    {"MUHAMMAD", "MOHAMMED", "MOHAMAD", "MUHAMMED", "MOHAMED"},
    {"IURII", "YURIY", "YURI"},
    {"ALEKSANDR", "ALEXANDER", "OLEKSANDR", "ALEXANDR"},
    {"ZHANG", "CHANG"},
    {"MUELLER", "MULLER"},
    {"HUSSEIN", "HUSAIN", "HOSSEIN", "HUSSAIN"},
    {"ABDULLAH", "ABDALLAH", "ABDULA"},
    {"SERGEI", "SERGEY", "SERGIY"},
    {"AHMAD", "AHMED"},
    {"YUSUF", "YOUSSEF", "YOUSEF"},
    {"MIKHAIL", "MIKHAYL", "MICHAIL"},
    {"DMITRII", "DMITRY", "DMITRIY"},
    {"ANDREI", "ANDREY", "ANDRIY"},
    {"NIKOLAI", "NIKOLAY", "MYKOLA"},
    {"ALEKSEI", "ALEXEY", "ALEKSEY"},
    {"TATIANA", "TATYANA", "TETIANA"},
    {"NATALIA", "NATALYA", "NATALIYA"},
    {"ELENA", "YELENA"},
    {"EVGENII", "YEVGENIY", "EVGENY"},
    {"IULIIA", "YULIYA", "YULIA"},
    {"KHALID", "KHALED"},
    {"OMAR", "UMAR"},
    {"MUSTAFA", "MOSTAFA", "MUSTAPHA"},
    {"HASSAN", "HASAN"},
    {"IBRAHIM", "EBRAHIM"},
    {"SAEED", "SAID", "SAYED"},
    {"FATIMA", "FATIMAH", "FATMA"},
    {"AISHA", "AYESHA"},
    {"WANG", "WONG"},
    {"ZHOU", "CHOU"},
    {"XU", "HSU"},
    {"SCHMIDT", "SCHMITT"},
    {"MEYER", "MEIER", "MAIER"},
    {"SCHROEDER", "SCHRODER"},
    {"JUERGEN", "JURGEN"},
    {"GIORGOS", "YORGOS", "GEORGIOS"},
    {"KONSTANTINOS", "CONSTANTINOS"},
    {"CHRISTOS", "HRISTOS"},
    {"CHAUDHARY", "CHOUDHARY", "CHOWDHURY"},
    {"SRINIVASAN", "SREENIVASAN"},
};

static const char *const particles[] = {"AL",  "EL",  "BIN", "BEN", "ABU", "ABOU", "VAN", "DER",
                                        "DEN", "VON", "DE",  "LA",  "DEL", "DOS",  "DA",  "ZU"};

static bool is_particle(const char *t)
{
    for (size_t i = 0; i < NELEM(particles); i++)
        if (!strcmp(t, particles[i]))
            return true;
    return false;
}

static int variant_group(const char *t)
{
    for (size_t g = 0; g < NELEM(variants); g++)
        for (int i = 0; i < MAXVAR && variants[g][i]; i++)
            if (!strcmp(t, variants[g][i]))
                return (int)g;
    return -1;
}

/* another member of group g than t */
static const char *variant_other(int g, const char *t)
{
    int n = 0;
    while (n < MAXVAR && variants[g][n])
        n++;
    for (;;) {
        const char *v = variants[g][rnd((size_t)n)];
        if (strcmp(v, t))
            return v;
    }
}

/* ---- names as token lists ------------------------------------------------------------------ */

#define MAXTOK 8
#define TOKLEN 48

typedef struct {
    char t[MAXTOK][TOKLEN];
    int n;    /* tokens */
    int nsur; /* the first nsur tokens are the surname */
} Name;

static void name_add(Name *nm, const char *s)
{
    while (*s) {
        while (*s == ' ')
            s++;
        size_t len = strcspn(s, " ");
        if (len && nm->n < MAXTOK) {
            if (len >= TOKLEN)
                len = TOKLEN - 1;
            memcpy(nm->t[nm->n], s, len);
            nm->t[nm->n][len] = 0;
            nm->n++;
        }
        s += len;
    }
}

static void name_join(const Name *nm, int from, int to, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = from; i < to; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", nm->t[i]);
}

static void name_remove(Name *nm, int i)
{
    memmove(nm->t[i], nm->t[i + 1], (size_t)(nm->n - i - 1) * TOKLEN);
    nm->n--;
    if (i < nm->nsur)
        nm->nsur--;
}

static bool name_has(const Name *nm, const char *t)
{
    for (int i = 0; i < nm->n; i++)
        if (!strcmp(nm->t[i], t))
            return true;
    return false;
}

/* ---- dates --------------------------------------------------------------------------------- */

typedef struct {
    int y, m, d;
} Date;

static int mdays(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static Date date_in_year(int y)
{
    Date d = {y, 1 + (int)rnd(12), 1};
    d.d = 1 + (int)rnd((size_t)mdays(y, d.m));
    return d;
}

static Date date_step(Date d, int delta)
{
    d.d += delta;
    if (d.d < 1) {
        if (--d.m < 1) {
            d.m = 12;
            d.y--;
        }
        d.d = mdays(d.y, d.m);
    } else if (d.d > mdays(d.y, d.m)) {
        d.d = 1;
        if (++d.m > 12) {
            d.m = 1;
            d.y++;
        }
    }
    return d;
}

static void fmt_date(Date d, bool year_only, char *out)
{
    if (year_only)
        snprintf(out, 16, "%04d", d.y);
    else
        snprintf(out, 16, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static Date rand_birth(void)
{
    return date_in_year(1940 + (int)rnd(66));
}

/* ---- hash sets of 64-bit keys -------------------------------------------------------------- */

typedef struct {
    uint64_t *slot;
    size_t mask;
    size_t used;
} Set;

static void set_alloc(Set *s, size_t cap)
{
    s->slot = calloc(cap, sizeof *s->slot);
    if (!s->slot) {
        fprintf(stderr, "gen_eval: out of memory\n");
        exit(1);
    }
    s->mask = cap - 1;
    s->used = 0;
}

static void set_init(Set *s, size_t expected)
{
    size_t cap = 1024;
    while (cap < expected * 2)
        cap <<= 1;
    set_alloc(s, cap);
}

static bool set_add(Set *s, uint64_t k);

/* Doubles the table (a set sized for fewer keys than it gets would otherwise fill up and
 * probe forever). */
static void set_grow(Set *s)
{
    Set old = *s;
    set_alloc(s, (old.mask + 1) * 2);
    for (size_t i = 0; i <= old.mask; i++)
        if (old.slot[i])
            set_add(s, old.slot[i]);
    free(old.slot);
}

/* false when already present */
static bool set_add(Set *s, uint64_t k)
{
    if ((s->used + 1) * 4 > (s->mask + 1) * 3)
        set_grow(s);
    k |= 1;
    for (size_t i = (size_t)(k >> 7) & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == k)
            return false;
        if (!s->slot[i]) {
            s->slot[i] = k;
            s->used++;
            return true;
        }
    }
}

static bool set_has(const Set *s, uint64_t k)
{
    k |= 1;
    for (size_t i = (size_t)(k >> 7) & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == k)
            return true;
        if (!s->slot[i])
            return false;
    }
}

static uint64_t hash_bytes(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3ull;
    return h;
}

static uint64_t hash_final(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

/* key of a name (surname | given names) with a birth date as written */
static uint64_t name_key(const Name *nm, const char *date)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (int i = 0; i < nm->n; i++) {
        h = hash_bytes(h, i == nm->nsur ? "|" : " ");
        h = hash_bytes(h, nm->t[i]);
    }
    h = hash_bytes(h, "|");
    return hash_final(hash_bytes(h, date));
}

/* key of a document number folded like paxscreen's confusable key: spaces gone, O/0, I/L/1,
 * S/5, B/8, Z/2 the same */
static uint64_t doc_key(const char *num)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (; *num; num++) {
        char c = *num;
        if (c == ' ')
            continue;
        switch (c) {
        case 'O':
            c = '0';
            break;
        case 'I':
        case 'L':
            c = '1';
            break;
        case 'S':
            c = '5';
            break;
        case 'B':
            c = '8';
            break;
        case 'Z':
            c = '2';
            break;
        }
        h = (h ^ (unsigned char)c) * 0x100000001B3ull;
    }
    return hash_final(h);
}

static Set names; /* every listed name form with its birth date */
static Set docs;  /* every document number generated, folded */

static void new_passport(char *out)
{
    do {
        out[0] = (char)('A' + rnd(26));
        out[1] = (char)('A' + rnd(26));
        for (int i = 2; i < 9; i++)
            out[i] = (char)('0' + rnd(10));
        out[9] = 0;
    } while (!set_add(&docs, doc_key(out)));
}

/* ---- the long tail: synthetic names per tradition ------------------------------------------ */

/* Each tradition's surname list and given-name list is its head table (rank order) followed by
 * a synthetic tail in generation order. Tail names come from syllable inventories and
 * tradition-typical endings, have a length limit per tradition, pass a few plausibility checks
 * (no tripled letter, no long consonant run, no tradition-foreign letter sequences) and are
 * never a head token of any tradition, a variants-table token or a particle. */

enum {
    TAIL_SUR = 60000,    /* synthetic surnames a tradition */
    TAIL_GIV = 2500,     /* synthetic given names a tradition and gender */
    ZH_TAIL_SUR = 420,   /* Chinese: the single syllables, then a few compound ones */
    ZH_TAIL_GIV = 10000, /* Chinese given names a gender (mostly two syllables) */
    ZIPF_OFFSET = 10,    /* rank r is drawn with weight 1 / (r + ZIPF_OFFSET) */
};
#define POOL_SEED 0x7A11C0DE5EEDull
#define GLEN      64

#define PICK(a) ((a)[rnd(NELEM(a))])

static bool is_vowel(char c)
{
    return c && strchr("AEIOUY", c);
}

static void cat(char *b, const char *s)
{
    size_t len = strlen(b);
    snprintf(b + len, GLEN - len, "%s", s);
}

/* n syllables of an onset and a vowel */
static void syls(char *b, const char *const *on, size_t non, const char *const *vo, size_t nvo,
                 int n)
{
    for (int i = 0; i < n; i++) {
        cat(b, on[rnd(non)]);
        cat(b, vo[rnd(nvo)]);
    }
}
#define SYLS(b, on, vo, n) syls(b, on, NELEM(on), vo, NELEM(vo), n)

/* appends ending s; between a vowel and a vowel-initial ending goes a consonant from link[] */
static void attach(char *b, const char *const *link, size_t nlink, const char *s)
{
    size_t len = strlen(b);
    if (len && is_vowel(b[len - 1]) && is_vowel(s[0]))
        cat(b, link[rnd(nlink)]);
    cat(b, s);
}
#define ATTACH(b, link, s) attach(b, link, NELEM(link), s)

/* appends ending s; a vowel-initial ending replaces the stem's final vowel */
static void glue(char *b, const char *s)
{
    size_t len = strlen(b);
    if (len > 2 && is_vowel(b[len - 1]) && is_vowel(s[0]))
        b[len - 1] = 0;
    cat(b, s);
}

/* Spanish */
static const char *const es_on[] = {
    "B",  "C",  "CH", "D",  "F",  "G",  "J",  "L",  "LL", "M",  "N",  "P", "R", "S", "T", "V", "Z",
    "BR", "CR", "FR", "GR", "PR", "TR", "PL", "CL", "BL", "QU", "GU", "C", "M", "R", "S", "T", "L"};
static const char *const es_vo[] = {"A", "E", "I",  "O",  "U",  "A",  "E",
                                    "O", "A", "IA", "IE", "UE", "IO", "O"};
static const char *const es_link[] = {"B",  "C",  "D",  "G",  "L", "LL", "M",  "N",
                                      "R",  "RR", "S",  "T",  "V", "Z",  "ND", "NT",
                                      "RD", "RT", "LD", "RC", "D", "R",  "N",  "L"};
static const char *const es_sur_end[] = {
    "EZ",   "AZ",   "IZ",   "OZ",   "ERO",  "EDO",  "EDA",   "ERA",  "ALES", "ARES", "ANO", "ENA",
    "ILLA", "ILLO", "ON",   "OS",   "AS",   "AL",   "AR",    "ERAS", "UELO", "ADA",  "ADO", "ETE",
    "OSA",  "ANTE", "ENTE", "IEGA", "ADOR", "ARRO", "ILLAS", "UERA", "EJO",  "ENO",  "IN",  "INA",
    "ERES", "OSO",  "UELA", "ARA",  "EZ",   "EZ",   "ES",    "IEL",  "ANDA", "ORES"};
static const char *const es_giv_m[] = {"O",    "IO",   "ANO",  "ERTO",  "ANDO", "ERO", "EL",  "IN",
                                       "ON",   "AN",   "ARDO", "ENCIO", "ACIO", "INO", "IAN", "OR",
                                       "ESTO", "EMIO", "IGO",  "ULO",   "ES",   "ELIO"};
static const char *const es_giv_f[] = {"A",   "IA",   "INA",  "ELA",   "ITA", "ANA", "ENA",
                                       "ERA", "INDA", "ELIA", "ENCIA", "IDA", "ISA", "ORA",
                                       "ETA", "ILDA", "INIA", "ALIA",  "ES"};
static const char *const es_bad[] = {
    "QUA", "QUO", "QUU", "GUU", "GUO", "ZE",   "ZI",   "UU",   "II",   "EE",   "AA",   "OO",  "IEI",
    "IAI", "UEU", "YI",  "IOI", "UEI", "QUIE", "QUIA", "QUIO", "GUIE", "GUIA", "GUIO", "GUUE"};
/* English */
static const char *const en_on[] = {"B",  "BL", "BR", "C",  "CH", "CL", "CR", "D", "DR", "F",  "FL",
                                    "FR", "G",  "GL", "GR", "H",  "J",  "K",  "L", "M",  "N",  "P",
                                    "PR", "R",  "S",  "SH", "SL", "ST", "SW", "T", "TH", "TR", "W",
                                    "WH", "B",  "C",  "D",  "H",  "M",  "P",  "R", "W"};
static const char *const en_vo[] = {"A", "E",  "I",  "O",  "U",  "A",  "E",  "I",
                                    "O", "AI", "EA", "OO", "OU", "EE", "OA", "A"};
static const char *const en_co[] = {
    "CK",  "D", "LD", "LL",  "M",   "N",   "ND", "NG", "NT", "R",  "RN", "RT", "SH", "T",
    "TCH", "X", "LT", "RK",  "RD",  "LK",  "MB", "NS", "RR", "SS", "FF", "TT", "DD", "P",
    "G",   "B", "ST", "RST", "NCH", "RTH", "L",  "N",  "R",  "LM", "RL", "LF", "CK", "D"};
static const char *const en_giv_on[] = {"B", "BR", "C", "CH", "D", "F", "G",  "H",  "J", "K",
                                        "L", "M",  "N", "P",  "R", "S", "SH", "ST", "T", "TR",
                                        "V", "W",  "B", "D",  "J", "L", "M",  "R"};
static const char *const en_giv_vo[] = {"A", "E", "I", "O", "U", "A", "E", "O", "AR", "ER", "OR"};
static const char *const en_sur_end[] = {
    "SON",    "TON",   "LEY",   "FORD", "WOOD",  "FIELD", "WELL", "WORTH",  "HAM",  "BURY",
    "BY",     "ER",    "MAN",   "DALE", "BROOK", "HURST", "LOW",  "MORE",   "COTT", "RIDGE",
    "STONE",  "WICK",  "SHAW",  "LAND", "ING",   "ETT",   "INS",  "S",      "KINS", "LOCK",
    "INGTON", "STEAD", "WAY",   "BURN", "HILL",  "CROFT", "ERS",  "EY",     "ELL",  "ARD",
    "ES",     "ISON",  "ERTON", "ELEY", "LING",  "HOUSE", "HALL", "SWORTH", "SBY",  "TON",
    "SON",    "LEY",   "ER",    "MAN",  "INGS",  "FORTH", "WELL", "MERE",   "GATE"};
static const char *const en_giv_m[] = {"ERT", "ARD", "IN",   "EY",  "IAN", "ON",  "AS", "EL", "ICK",
                                       "ERY", "OLD", "WIN",  "DON", "EN",  "AN",  "IS", "ER", "Y",
                                       "US",  "IE",  "WARD", "RIC", "TON", "LEY", "ROY"};
static const char *const en_giv_f[] = {"A",    "IE",   "ETTE", "INE", "ELLE", "Y",   "ANNA", "ENE",
                                       "ICE",  "ISSA", "ANNE", "LYN", "INA",  "ELL", "ORA",  "ABEL",
                                       "ICIA", "ESSA", "ALIE", "EEN", "ITH",  "ETH"};
static const char *const en_bad[] = {"IU",  "UO",  "AE",   "EO",  "IOO", "OOO", "UU",  "II", "YY",
                                     "AAI", "EAI", "OUOU", "EEA", "OAO", "AIA", "IEA", "UA", "JJ",
                                     "HH",  "WW",  "AOU",  "EOU", "IOU", "WHU", "QQ",  "UI", "XS",
                                     "XX",  "EEE", "OAA",  "UE",  "OOA", "EAA", "AIE"};
/* Arabic (romanized): triliteral roots in word patterns, digits are the root consonants */
static const char *const ar_c[] = {"B", "T", "TH", "J", "H", "KH", "D", "DH", "R",  "Z", "S", "SH",
                                   "F", "Q", "K",  "L", "M", "N",  "W", "Y",  "GH", "H", "S", "R",
                                   "M", "L", "N",  "J", "K", "F",  "D", "B",  "H",  "R", "S"};
static const char *const ar_sur_pat[] = {
    "1A22A3", "1A2I3",   "1A2EE3", "1A2A3",  "1A23AN",  "MA12OU3", "MA12U3",  "1A22A3I",
    "1A2A3I", "1U2AY3",  "1A23I",  "1A2OU3", "1A2U3",   "1A2I3I",  "1A23AWI", "1I2A3",
    "1A2I3A", "1A22AAN", "1A2AN",  "1A2IRI", "1A2AA3A", "1A2EE3I"};
static const char *const ar_giv_m_pat[] = {
    "1A2I3",  "1A2EE3", "1A23",   "MU1A22A3",   "1U2AY3",     "1A2OU3",
    "1A22A3", "MU12I3", "1A23AN", "ABDUL1A2I3", "ABDEL1A2I3", "ABDUL1A2EE3",
    "1I2A3",  "1A2A3",  "MU12A3", "1A2I3UDDIN", "NOOR1A2I3"};
static const char *const ar_giv_f_pat[] = {"1A2I3A",  "1A2EE3A", "1A23A",   "1U2A3A",
                                           "1A2A3",   "1A2I3AH", "1A22A3A", "1A2A3A",
                                           "1A2OU3A", "1U2AY3A", "1A23IYA", "1A2AA3"};
static const char *const ar_bad[] = {"YY",  "WW",  "HH",  "IY",   "UW",   "YI",  "WU",  "UU",
                                     "II",  "EEE", "AAA", "AYA",  "YAY",  "WAW", "IYA", "QK",
                                     "KQ",  "GHQ", "QGH", "KHGH", "GHKH", "DHZ", "ZDH", "THS",
                                     "STH", "SHS", "SSH", "BB",   "TT",   "JJ",  "DD",  "RR",
                                     "ZZ",  "SS",  "FF",  "QQ",   "KK",   "LL",  "MM",  "NN"};
/* Russian (romanized, ICAO 9303) */
static const char *const ru_on[] = {
    "B",  "V",  "G",  "D",  "Z",  "ZH", "K",  "L",  "M",  "N",  "P",  "R",  "S",
    "T",  "F",  "KH", "TS", "CH", "SH", "BR", "GR", "KR", "PR", "TR", "DR", "ST",
    "SM", "SK", "SL", "SV", "ZV", "VL", "PL", "BL", "GL", "KL", "SN", "KN", "DV",
    "TV", "B",  "V",  "G",  "D",  "K",  "L",  "M",  "N",  "P",  "R",  "S",  "T"};
static const char *const ru_vo[] = {"A", "E", "I", "O", "U", "Y", "IA", "IU",
                                    "O", "A", "E", "O", "A", "E", "I",  "O"};
static const char *const ru_link[] = {"B",  "V",  "G",  "D",  "Z",  "K",  "L",   "M",  "N",  "P",
                                      "R",  "S",  "T",  "KH", "CH", "SH", "ZH",  "TS", "LK", "RK",
                                      "SK", "ZN", "RN", "LN", "SL", "ZL", "SHK", "NK", "RD", "ST",
                                      "V",  "L",  "N",  "R",  "K",  "CH", "SHN"};
static const char *const ru_sur_end[] = {
    "OV",     "EV",     "IN",   "YN",    "OVSKII", "EVSKII", "SKII", "TSEV",  "ENKO",
    "UK",     "CHUK",   "ICH",  "OVICH", "EVICH",  "ANOV",   "INOV", "ENKOV", "IKOV",
    "OVTSEV", "ENTSEV", "YKIN", "UKHIN", "ISHIN",  "OV",     "EV",   "IN",    "OV",
    "EV",     "AEV",    "IAEV", "OVETS", "AKOV",   "USHKIN", "ENOK", "ASHOV", "OV",
    "OV",     "IN",     "ENKO", "UKOV",  "ANIN",   "ENIN"};
static const char *const ru_giv_m[] = {"SLAV", "MIR",  "ON",    "IAN",  "II",    "EI",    "AR",
                                       "IM",   "OR",   "ENTII", "AT",   "OSLAV", "ISLAV", "IL",
                                       "AN",   "OMIR", "ID",    "ELII", "OT",    "IAR",   "AK"};
static const char *const ru_giv_f[] = {"A",   "IA",  "INA", "SLAVA", "ANA",  "ENA", "ILA",  "MILA",
                                       "ISA", "ETA", "ONA", "IANA",  "LANA", "DA",  "IANA", "ARA"};
static const char *const ru_bad[] = {
    "KY", "GY",   "KHY",  "ZHY",  "SHY",  "CHY", "YY",     "YA",    "YE",   "YI",   "YO",
    "YU", "IAIA", "IUIU", "IAIU", "IUIA", "III", "SHCHSH", "TSTS",  "UU",   "AA",   "OO",
    "EE", "IIA",  "IIE",  "IIO",  "IIU",  "IAE", "IUE",    "SHCHK", "ZHSH", "SHZH", "TSY"};
/* German (umlauts as AE OE UE) */
static const char *const de_on[] = {"B",  "BR",  "D",    "DR",   "F",    "FR",   "G",  "GR",  "H",
                                    "K",  "KL",  "KR",   "L",    "M",    "N",    "P",  "PF",  "R",
                                    "S",  "SCH", "SCHW", "SCHL", "SCHM", "SCHN", "ST", "STR", "T",
                                    "TR", "W",   "Z",    "KN",   "BL",   "FL",   "GL", "SP",  "B",
                                    "H",  "K",   "L",    "M",    "R",    "W",    "G"};
static const char *const de_vo[] = {"A",  "E",  "I", "O", "U", "AU", "EI", "IE", "AE",
                                    "OE", "UE", "A", "E", "I", "O",  "EI", "A"};
static const char *const de_co[] = {"B",  "CH", "CK", "D",  "L",   "LD", "LL", "M",  "N",
                                    "NG", "NK", "NS", "NZ", "R",   "RG", "RT", "SS", "T",
                                    "TZ", "F",  "LZ", "RN", "CHT", "LF", "RK", "RM", "N",
                                    "R",  "L",  "CH", "G",  "LM",  "FF"};
static const char *const de_sur_end[] = {
    "MANN",   "ER",     "BERG",    "BERGER", "STEIN", "FELD",    "HOFF",   "HAUSER",  "BACH",
    "BURG",   "DORF",   "LINGER",  "INGER",  "WALD",  "HARDT",   "HOLZ",   "KAMP",    "BRANDT",
    "HUBER",  "MAIER",  "LE",      "EL",     "ERT",   "IG",      "ING",    "ENS",     "SEN",
    "HAUS",   "ECKER",  "MUTH",    "RATH",   "HOFER", "BRUNNER", "REITER", "MEISTER", "WIRTH",
    "FELDER", "WEILER", "STADT",   "MANN",   "ER",    "ER",      "MANN",   "LER",     "NER",
    "KE",     "ICH",    "SCHMIDT", "BAUER",  "HEIM",  "ROTH"};
static const char *const de_giv_m[] = {"BERT", "HARD",   "MAR",  "FRIED", "HELM", "OLF", "WIN",
                                       "ULF",  "RICH",   "MUND", "OLD",   "WALD", "MAN", "O",
                                       "RAD",  "BRECHT", "HOLD", "WIG",   "ER",   "EN"};
static const char *const de_giv_f[] = {"HILDE", "TRAUD", "GARD", "LINDE", "RUN",  "INE",  "A",
                                       "E",     "BURG",  "HEID", "LIND",  "GUND", "TRUD", "RIKE",
                                       "ELA",   "RID",   "GIT",  "KE",    "ETTE"};
static const char *const de_bad[] = {"UU",  "II",  "AA",  "OO",  "IEIE", "EIEI", "AUAU", "UEUE",
                                     "EIE", "IEI", "AUE", "UEU", "OEO",  "AEA",  "UEI",  "OEI",
                                     "AEI", "AUI", "IEA", "IEO", "IEU",  "EIA",  "EIO",  "EIU",
                                     "AUA", "AUO", "AUU", "OEA", "UEA",  "AEU",  "OEU",  "EEE",
                                     "IEE", "AEE", "OEE", "UEE", "EIEN", "IEAU", "AEO"};
/* Polish (without diacritics) */
static const char *const pl_on[] = {"B",  "CH", "CZ", "D",  "DZ", "F",  "G", "GR", "J",  "K",  "KR",
                                    "KL", "L",  "M",  "N",  "P",  "PR", "R", "RZ", "S",  "SZ", "SK",
                                    "ST", "SW", "T",  "TR", "W",  "WR", "Z", "ZB", "ZW", "BR", "DR",
                                    "GL", "PL", "SL", "SM", "SN", "B",  "K", "M",  "N",  "P",  "W",
                                    "S",  "L",  "D",  "G",  "J",  "R",  "T", "Z",  "K",  "M"};
static const char *const pl_vo[] = {"A",  "E",  "I", "O", "U", "Y", "IE",
                                    "IA", "IO", "A", "O", "E", "A", "O"};
static const char *const pl_link[] = {"B",  "CH", "CZ", "D",  "G", "K", "L", "M",  "N",
                                      "P",  "R",  "S",  "SZ", "T", "W", "Z", "RZ", "LK",
                                      "RK", "ST", "SK", "N",  "L", "R", "W", "K",  "CZ"};
static const char *const pl_sur_end[] = {
    "SKI", "CKI", "WSKI",   "OWSKI", "EWSKI", "INSKI", "CZYK", "CZAK",  "IAK",   "EK",
    "AK",  "IK",  "ECKI",   "ONEK",  "OWICZ", "EWICZ", "IEC",  "ALA",   "USZ",   "UCH",
    "ASZ", "ARZ", "ARCZYK", "INIAK", "ULSKI", "ELSKI", "SKI",  "OWSKI", "EWSKI", "CZYK",
    "IAK", "EK",  "ECKI",   "OWIAK", "USIAK", "YK",    "CZUK", "ANEK",  "ISZ"};
static const char *const pl_giv_m[] = {"SLAW",   "MIERZ", "EK",    "USZ",  "ARD", "IAN",
                                       "OMIR",   "ISLAW", "OSLAW", "IUSZ", "AN",  "DRZEJ",
                                       "IMIERZ", "ON",    "EL",    "OSZ",  "IR",  "ACY"};
static const char *const pl_giv_f[] = {"A",    "INA", "SLAWA", "MIRA",   "IELA",
                                       "YNA",  "ETA", "ONA",   "INKA",   "USIA",
                                       "ANNA", "ELA", "IDA",   "ISLAWA", "RYDA"};
static const char *const pl_bad[] = {
    "KY",  "GY",  "JY",  "IY",  "YY", "YI",   "IEIE", "IAIA", "IOIO", "UU",  "II",  "SZI",
    "AA",  "EE",  "OO",  "YA",  "YE", "YO",   "YU",   "IEA",  "IEO",  "IAE", "IOE", "IAO",
    "IOA", "IEU", "IAU", "IOU", "JI", "CZCZ", "SZSZ", "RZRZ", "WW",   "ZZ"};
/* Greek (romanized, ELOT 743) */
static const char *const el_on[] = {"V",  "G",  "D",  "Z",  "TH", "K",  "L",   "M",  "N",  "X",
                                    "P",  "R",  "S",  "T",  "F",  "CH", "PS",  "KR", "TR", "PR",
                                    "ST", "SP", "GR", "DR", "VR", "FR", "CHR", "KL", "PL", "FL",
                                    "SK", "K",  "P",  "M",  "N",  "S",  "T",   "L"};
static const char *const el_vo[] = {"A", "E", "I", "O", "OU", "AI", "EI",
                                    "Y", "A", "O", "I", "E",  "A",  "O"};
static const char *const el_link[] = {"D",  "K",  "L",  "M",  "N", "P", "R",  "S",  "T",
                                      "G",  "TH", "CH", "F",  "V", "Z", "NT", "MP", "LL",
                                      "ST", "SK", "KR", "TR", "K", "L", "N",  "R",  "T"};
static const char *const el_sur_end[] = {
    "OPOULOS", "AKIS",  "IDIS", "IADIS", "OU",       "ATOS",    "ELLIS", "AS",
    "IS",      "OS",    "AKOS", "OGLOU", "OGIANNIS", "ANIS",    "AKIS",  "ITIS",
    "OUDIS",   "AIOS",  "EAS",  "ANOS",  "INOS",     "OPOULOS", "IDIS",  "AKIS",
    "IOU",     "OUNIS", "ALIS", "OTIS",  "ELIS",     "ARIS",    "IKOS"};
static const char *const el_sur_pre[] = {"PAPA", "KARA",   "CHATZI", "MAVRO", "KALO",
                                         "PANO", "ARGYRO", "CHRYSO", "DIMO",  "STAVRO"};
static const char *const el_giv_m[] = {"OS",   "IS",   "AS",     "IOS",  "ONAS", "ARIS", "ILIS",
                                       "ANOS", "ORIS", "ODOROS", "AKIS", "ELOS", "IDAS", "ON"};
static const char *const el_giv_f[] = {"A",    "I",  "OULA", "INA", "ITSA", "OUSA", "ANTHI",
                                       "ELLA", "IA", "ENI",  "ITA", "OUDA", "IKI",  "ASIA"};
static const char *const el_bad[] = {
    "YY",   "OUOU", "II",   "AA",  "EE",  "OO",  "YI",  "IY",  "OUY", "OII",  "UOU",
    "AIAI", "EIEI", "OIOI", "IOI", "IAI", "YOU", "OUO", "OUA", "OUE", "OUI",  "IEI",
    "AIE",  "EIA",  "OIA",  "OIE", "YA",  "YE",  "YO",  "AIO", "EIO", "AIOU", "EIOU"};
/* Nigerian: Yoruba, Igbo and a few Hausa forms */
static const char *const yo_pre[] = {"ADE", "OLU",  "OLA", "OYE",  "AKIN", "OGUN", "OMO", "IFE",
                                     "ABI", "BABA", "AYO", "FOLA", "KOLA", "OBA",  "OSO", "ODU",
                                     "ALA", "ODE",  "OKE", "ONI",  "OKU",  "EBI",  "IBI", "ORE",
                                     "AJA", "OYI",  "ADA", "OWO",  "AFO",  "OPE",  "ATO", "ILE"};
static const char *const yo_syl[] = {
    "BA",   "BO",   "BI",   "BU",    "DA",    "DE",   "DI",    "DO",   "FA",    "FE",
    "FO",   "FUN",  "GBA",  "GBE",   "GBO",   "JA",   "JE",    "JI",   "JO",    "KA",
    "KE",   "KI",   "KO",   "KU",    "KUN",   "LA",   "LE",    "LO",   "LU",    "MI",
    "MO",   "MU",   "NI",   "NU",    "RA",    "RE",   "RI",    "RO",   "SA",    "SE",
    "SI",   "SO",   "SU",   "TA",    "TE",    "TI",   "TO",    "WA",   "WE",    "WO",
    "WU",   "YA",   "YE",   "YO",    "YI",    "SEUN", "WALE",  "YEMI", "TUNDE", "BAYO",
    "DELE", "RIN",  "SIN",  "NLE",   "YIN",   "WON",  "MOLA",  "BODE", "NIYI",  "LEKE",
    "SOLA", "TOYE", "DAPO", "JUWON", "KANMI", "TAYO", "SANYA", "FEMI", "KUNLE", "GBENGA"};
static const char *const ig_pre[] = {"NWA",  "OKE", "OKO",  "EZE", "OBI",  "ONYE", "CHI", "UGO",
                                     "IKE",  "NNA", "ANYA", "EME", "AMA",  "UZO",  "IHE", "OGBU",
                                     "ONU",  "IWU", "UKA",  "ODI", "NKE",  "UDE",  "AGU", "OKA",
                                     "ONWU", "ANI", "UCHE", "NDU", "EGWU", "OFO",  "AKU", "MBA"};
static const char *const ig_tail[] = {
    "KA",   "KWU",  "KWO",   "NDU",   "NNA",  "BUIKE",  "EKE",   "OMA",   "FOR",   "RO",
    "ZIE",  "NYE",  "GWU",   "LU",    "MA",   "CHUKWU", "KEZIE", "DIKE",  "NNAYA", "JIOFOR",
    "NWA",  "ELUE", "OBI",   "NKWO",  "NSO",  "DUM",    "BE",    "MEZIE", "ZUO",   "AFOR",
    "EZE",  "GBO",  "JI",    "DU",    "NAM",  "EGBU",   "DI",    "LUE",   "ZOR",   "MEKA",
    "NEDU", "NAKA", "BUNAM", "KWUDI", "DIRI", "GBUNA",  "LOR",   "ZOBA",  "TA",    "NWANNE",
    "CHE",  "SO",   "ALA",   "OKWU",  "ONU",  "NTA",    "NYELU", "JIAKU"};
static const char *const ha_pre[] = {"DAN", "MAI", "YAR", "BA", "DAN", "DAN"};
static const char *const ha_syl[] = {
    "JUMA",  "LADI",    "KANO",  "BAUCHI", "GOMBE",  "AZUMI", "BATURE", "LAMI",   "SABO",
    "TATA",  "GARI",    "DAUDA", "BAKO",   "TANKO",  "SULE",  "MAINA",  "GWARI",  "YARO",
    "ZARIA", "KATSINA", "BUBA",  "MAMMAN", "WAZIRI", "SHEHU", "AUDU",   "HALILU", "INUWA",
    "LAWAN", "BUHARI",  "ALIYU", "GADO",   "KABIR",  "MUSA",  "SANI"};
static const char *const ng_m_pre[] = {"OLU",  "ADE", "AKIN", "OLA",  "AYO",   "OYE",  "BABA",
                                       "KOLA", "CHI", "IKE",  "EME",  "UCHE",  "NNA",  "OBI",
                                       "EBU",  "OKE", "KAY",  "DAMI", "TUNDE", "SEGUN"};
static const char *const ng_f_pre[] = {"FOLA", "ADE", "OLA",  "ABI",  "YE",  "FUN",  "BI",
                                       "CHI",  "NGO", "ADA",  "AMA",  "NKE", "ONYI", "IFE",
                                       "TITI", "MO",  "BUKO", "KEMI", "ODU", "ZI"};
static const char *const ng_f_end[] = {"KE",  "MI",   "LA", "NMI", "KA",  "OMA", "NNE", "ZI",
                                       "ASA", "LOLA", "DE", "YO",  "NKE", "MA",  "NNA", "TA"};
static const char *const ng_bad[] = {"AA",  "EE",  "II",  "OO",  "UU",  "AEA", "OEO",
                                     "IEI", "UEU", "AIA", "OIO", "EIE", "NNN", "YY",
                                     "YI",  "WU",  "AUA", "EUE", "IUI", "OUO", "GBGB"};
/* Indian */
static const char *const in_syl[] = {
    "KA",   "KRI",  "SHA", "RA",   "MA",  "NA",  "VA",   "DE",  "GO",    "PA",   "BHA",   "DHA",
    "SU",   "VI",   "JA",  "TA",   "CHA", "LA",  "SRI",  "PRA", "HA",    "GA",   "DA",    "SA",
    "NI",   "RI",   "MU",  "KU",   "PU",  "RU",  "SHI",  "BA",  "VE",    "YA",   "TRI",   "ME",
    "KE",   "SE",   "NE",  "DI",   "TI",  "LI",  "MI",   "BI",  "GHA",   "KHA",  "THA",   "CHI",
    "JI",   "SHRI", "BHU", "SAN",  "RAM", "DEV", "RAJ",  "KAN", "LAK",   "MAN",  "PAN",   "VAR",
    "HAR",  "BAL",  "NAR", "GOP",  "MOH", "SUB", "VEN",  "VIJ", "KRISH", "NAND", "CHAND", "ANAND",
    "SHAN", "JAY",  "DIN", "PRAK", "SUR", "MAH", "BHAR", "GAN", "SAT",   "KAM"};
static const char *const in_sur_end[] = {
    "KAR",   "WAL",    "WALA",   "ANI",     "ARI",    "PANDE",  "KARNI",    "ALE",     "ARKAR",
    "WADE",  "SHETTY", "RAJU",   "SWAMY",   "NATHAN", "RAMAN",  "KRISHNAN", "ALINGAM", "APPA",
    "AIAH",  "ANNA",   "IKAR",   "PURI",    "DAS",    "NATH",   "RAJ",      "AN",      "AM",
    "AL",    "ETTI",   "ARAN",   "ESWARAN", "AVAT",   "AVAN",   "ATHI",     "AWAT",    "IYA",
    "EKAR",  "DEKAR",  "JEE",    "DE",      "RATNAM", "MURTHY", "PILLAI",   "MENON",   "NADAR",
    "GOWDA", "VARMA",  "CHARYA", "DEVAN",   "SWAMI",  "GIRI",   "PRASAD",   "LAL",     "CHAND"};
static const char *const in_giv_m[] = {"ESH",    "ENDRA", "AN",    "IT",   "ANT",   "IN",
                                       "EEP",    "RAJ",   "ISH",   "ANSH", "ARSH",  "EEV",
                                       "OJ",     "AV",    "IK",    "AY",   "ENDER", "INDER",
                                       "ESHWAR", "ANATH", "ANAND", "DEV",  "KUMAR", "PAL"};
static const char *const in_giv_f[] = {"A",    "I",       "ITA",  "IKA",  "ANI",  "EE",   "AVI",
                                       "AYA",  "INI",     "ALI",  "ISHA", "ANA",  "ITHA", "ALA",
                                       "AMMA", "ESHWARI", "LATA", "VATI", "PRIYA"};
static const char *const in_bad[] = {"AA", "EEE", "II", "OO", "UU", "AE",   "AO", "UA", "IE",
                                     "EA", "OA",  "IO", "OE", "UE", "EI",   "IU", "EU", "OU",
                                     "UI", "AU",  "IA", "YY", "HH", "SHSH", "JJ", "RR", "NN"};
/* Chinese (pinyin) */
static const char *const zh_ini[] = {"",  "B", "P", "M", "F",  "D",  "T",  "N", "L", "G", "K",
                                     "H", "J", "Q", "X", "ZH", "CH", "SH", "R", "Z", "C", "S"};
static const char *const zh_fin[] = {"A",  "O",   "E",   "AI",   "EI",  "AO",   "OU", "AN",
                                     "EN", "ANG", "ENG", "ONG",  "I",   "IA",   "IE", "IAO",
                                     "IU", "IAN", "IN",  "IANG", "ING", "IONG", "U",  "UA",
                                     "UO", "UAI", "UI",  "UAN",  "UN",  "UANG", "UE"};
static const char *const zh_yw[] = {"YA",   "YAO",  "YAN", "YANG", "YE",   "YI",  "YIN", "YING",
                                    "YONG", "YOU",  "YU",  "YUAN", "YUE",  "YUN", "WA",  "WAI",
                                    "WAN",  "WANG", "WEI", "WEN",  "WENG", "WO",  "WU"};
static const char *const zh_giv_m[] = {"WEI",  "JUN",   "QIANG", "GANG", "MING",  "HAO",  "TAO",
                                       "LONG", "PENG",  "BIN",   "JIAN", "YONG",  "FENG", "CHENG",
                                       "BO",   "LIANG", "HAI",   "DONG", "XIANG", "ZHI",  "GUO",
                                       "JIE",  "HUA",   "KAI",   "LEI",  "XIN",   "YU",   "WEN"};
static const char *const zh_giv_f[] = {"MEI",  "LI",   "FANG", "JING", "LING", "YAN", "XIU",
                                       "YING", "JUAN", "LAN",  "HONG", "XIA",  "YUE", "XUE",
                                       "QIAN", "NA",   "TING", "WEN",  "HUI",  "QIN", "YU",
                                       "ZHEN", "JIAO", "LU",   "LIN",  "XIN",  "DAN", "QING"};

static const char *zh_syl[NELEM(zh_ini) * NELEM(zh_fin) + NELEM(zh_yw)];
static size_t zh_nsyl;

static bool in_list(const char *s, const char *const *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, a[i]))
            return true;
    return false;
}
#define IN(s, ...)                                                                                 \
    in_list(s, (const char *const[]){__VA_ARGS__}, NELEM(((const char *const[]){__VA_ARGS__})))

/* approximately the syllables of standard pinyin (initial + final) */
static bool zh_valid(const char *i, const char *f)
{
    bool fi = f[0] == 'I';
    if (!*i)
        return IN(f, "A", "AI", "AN", "ANG", "AO", "E", "EN", "O", "OU");
    if (IN(i, "J", "Q", "X"))
        return fi || IN(f, "U", "UAN", "UN", "UE");
    if (IN(i, "G", "K", "H"))
        return !fi && !IN(f, "UE", "O");
    if (IN(i, "ZH", "CH", "SH", "R", "Z", "C", "S")) {
        if (fi)
            return !strcmp(f, "I");
        if (IN(f, "UE", "O"))
            return false;
        if (IN(f, "UA", "UAI", "UANG"))
            return IN(i, "ZH", "CH", "SH");
        return !(IN(i, "SH", "R") && !strcmp(f, "ONG")) &&
               !(IN(i, "S", "C", "Z", "R", "CH") && !strcmp(f, "EI"));
    }
    if (!strcmp(i, "F"))
        return IN(f, "A", "O", "EI", "AN", "EN", "ANG", "ENG", "OU", "U");
    if (IN(i, "B", "P", "M"))
        return IN(f, "A", "O", "AI", "EI", "AO", "AN", "EN", "ANG", "ENG", "U", "I", "IE", "IAO",
                  "IAN", "IN", "ING") ||
               (strcmp(i, "B") && !strcmp(f, "OU")) || (!strcmp(i, "M") && !strcmp(f, "IU")) ||
               (!strcmp(i, "M") && !strcmp(f, "E"));
    /* D T N L */
    if (IN(f, "O", "UA", "UAI", "UANG", "IONG", "IA"))
        return false;
    if (IN(f, "UE", "IN", "IANG"))
        return IN(i, "N", "L");
    if (!strcmp(f, "EN"))
        return !strcmp(i, "N");
    if (!strcmp(f, "EI"))
        return strcmp(i, "T");
    return true;
}

static void zh_init(void)
{
    zh_nsyl = 0;
    for (size_t i = 0; i < NELEM(zh_ini); i++)
        for (size_t f = 0; f < NELEM(zh_fin); f++)
            if (zh_valid(zh_ini[i], zh_fin[f])) {
                static char store[NELEM(zh_ini) * NELEM(zh_fin)][8];
                char *s = store[i * NELEM(zh_fin) + f];
                snprintf(s, 8, "%s%s", zh_ini[i], zh_fin[f]);
                zh_syl[zh_nsyl++] = s;
            }
    for (size_t k = 0; k < NELEM(zh_yw); k++)
        zh_syl[zh_nsyl++] = zh_yw[k];
}

/* Tail generators: b (empty, GLEN bytes) gets a surname (what 0) or a given name (what 'M' or
 * 'F'); k counts the tail names of that kind made so far. */
typedef void GenFn(char *b, char what, size_t k);

static void gen_es(char *b, char what, size_t k)
{
    (void)k;
    if (!what) {
        double r = uniform();
        if (r < 0.07)
            cat(b, r < 0.04 ? "DE " : r < 0.055 ? "DEL " : r < 0.065 ? "DE LA " : "DOS ");
        SYLS(b, es_on, es_vo, 1 + chance(0.55));
        ATTACH(b, es_link, PICK(es_sur_end));
    } else {
        SYLS(b, es_on, es_vo, 1 + chance(0.4));
        ATTACH(b, es_link, what == 'M' ? PICK(es_giv_m) : PICK(es_giv_f));
    }
}

static void gen_en(char *b, char what, size_t k)
{
    (void)k;
    if (what) {
        SYLS(b, en_giv_on, en_giv_vo, 1 + chance(0.3));
        if (chance(0.4))
            cat(b, PICK(en_co));
        glue(b, what == 'M' ? PICK(en_giv_m) : PICK(en_giv_f));
        return;
    }
    if (chance(0.9))
        cat(b, PICK(en_on));
    cat(b, PICK(en_vo));
    {
        cat(b, PICK(en_co));
        if (chance(0.15)) {
            SYLS(b, en_on, en_vo, 1);
            cat(b, PICK(en_co));
        }
        if (chance(0.9))
            cat(b, PICK(en_sur_end));
    }
}

/* a root pattern: digits 1-3 are the root consonants, a doubled digit one geminate letter */
static void ar_pattern(char *b, const char *pat)
{
    const char *root[3];
    do
        for (int i = 0; i < 3; i++)
            root[i] = PICK(ar_c);
    while (!strcmp(root[0], root[1]) && !strcmp(root[1], root[2]));
    for (const char *p = pat; *p; p++) {
        if (*p < '1' || *p > '3') {
            char lit[2] = {*p, 0};
            cat(b, lit);
        } else if (p[1] == p[0]) { /* gemination: a digraph is written once */
            const char *c = root[*p - '1'];
            cat(b, c);
            if (!c[1])
                cat(b, c);
            p++;
        } else {
            cat(b, root[*p - '1']);
        }
    }
}

static void gen_ar(char *b, char what, size_t k)
{
    (void)k;
    if (!what) {
        double r = uniform();
        if (r < 0.31)
            cat(b, r < 0.22   ? "AL "
                   : r < 0.26 ? "EL "
                   : r < 0.28 ? "ABU "
                   : r < 0.30 ? "BIN "
                              : "BEN ");
        ar_pattern(b, PICK(ar_sur_pat));
    } else {
        ar_pattern(b, what == 'M' ? PICK(ar_giv_m_pat) : PICK(ar_giv_f_pat));
    }
}

static void gen_ru(char *b, char what, size_t k)
{
    (void)k;
    if (!what) {
        SYLS(b, ru_on, ru_vo, 1 + chance(0.5));
        ATTACH(b, ru_link, PICK(ru_sur_end));
    } else {
        SYLS(b, ru_on, ru_vo, 1 + chance(0.45));
        ATTACH(b, ru_link, what == 'M' ? PICK(ru_giv_m) : PICK(ru_giv_f));
    }
}

static void gen_zh(char *b, char what, size_t k)
{
    if (!what) { /* single syllables first (ranked before the rare compound surnames) */
        cat(b, zh_syl[rnd(zh_nsyl)]);
        if (k >= zh_nsyl * 85 / 100) /* OUYANG, SIMA: rare */
            cat(b, zh_syl[rnd(zh_nsyl)]);
        return;
    }
    const char *g = what == 'M' ? PICK(zh_giv_m) : PICK(zh_giv_f);
    if (chance(0.12)) {
        cat(b, chance(0.5) ? g : zh_syl[rnd(zh_nsyl)]);
    } else if (chance(0.5)) {
        cat(b, g);
        cat(b, zh_syl[rnd(zh_nsyl)]);
    } else {
        cat(b, zh_syl[rnd(zh_nsyl)]);
        cat(b, g);
    }
}

static void gen_de(char *b, char what, size_t k)
{
    (void)k;
    if (!what) {
        double r = uniform();
        if (r < 0.045)
            cat(b, r < 0.02    ? "VON "
                   : r < 0.03  ? "VAN "
                   : r < 0.04  ? "VAN DER "
                   : r < 0.043 ? "VAN DEN "
                               : "ZU ");
        SYLS(b, de_on, de_vo, 1);
        cat(b, PICK(de_co));
        if (chance(0.2)) {
            SYLS(b, de_on, de_vo, 1);
            cat(b, PICK(de_co));
        }
        if (chance(0.75))
            cat(b, PICK(de_sur_end));
    } else {
        SYLS(b, de_on, de_vo, 1);
        if (chance(0.4))
            cat(b, PICK(de_co));
        cat(b, what == 'M' ? PICK(de_giv_m) : PICK(de_giv_f));
    }
}

static void gen_pl(char *b, char what, size_t k)
{
    (void)k;
    SYLS(b, pl_on, pl_vo, 1 + chance(what ? 0.35 : 0.5));
    cat(b, PICK(pl_link));
    if (!what)
        cat(b, PICK(pl_sur_end));
    else
        cat(b, what == 'M' ? PICK(pl_giv_m) : PICK(pl_giv_f));
}

static void gen_el(char *b, char what, size_t k)
{
    (void)k;
    if (!what) {
        if (chance(0.12))
            cat(b, PICK(el_sur_pre));
        SYLS(b, el_on, el_vo, 1 + chance(0.5));
        ATTACH(b, el_link, PICK(el_sur_end));
    } else {
        SYLS(b, el_on, el_vo, 1 + chance(0.45));
        ATTACH(b, el_link, what == 'M' ? PICK(el_giv_m) : PICK(el_giv_f));
    }
}

static void gen_ng(char *b, char what, size_t k)
{
    (void)k;
    double r = uniform();
    if (!what) {
        if (r < 0.45) { /* Yoruba */
            cat(b, PICK(yo_pre));
            cat(b, PICK(yo_syl));
            if (chance(0.5))
                cat(b, PICK(yo_syl));
        } else if (r < 0.85) { /* Igbo */
            cat(b, PICK(ig_pre));
            cat(b, PICK(ig_tail));
        } else { /* Hausa */
            cat(b, PICK(ha_pre));
            cat(b, PICK(ha_syl));
        }
    } else if (what == 'M') {
        cat(b, PICK(ng_m_pre));
        cat(b, r < 0.55 ? PICK(yo_syl) : PICK(ig_tail));
        if (chance(0.2))
            cat(b, PICK(yo_syl));
    } else {
        cat(b, PICK(ng_f_pre));
        if (chance(0.5))
            cat(b, PICK(yo_syl));
        cat(b, PICK(ng_f_end));
    }
}

static void gen_in(char *b, char what, size_t k)
{
    (void)k;
    for (int i = 1 + chance(what ? 0.5 : 0.6); i > 0; i--)
        cat(b, PICK(in_syl));
    if (!what)
        glue(b, PICK(in_sur_end));
    else
        glue(b, what == 'M' ? PICK(in_giv_m) : PICK(in_giv_f));
}

typedef struct {
    GenFn *gen;
    const char *const *bad; /* letter sequences the tradition does not write */
    size_t nbad;
    int maxrun;            /* longest consonant run */
    size_t maxsur, maxgiv; /* longest surname (last token), given name */
    size_t nsur, ngiv;     /* tail sizes: surnames, given names a gender */
} TailSpec;

/* clang-format off */
#define TAIL(g, bad, run, ms, mg) {g, bad, NELEM(bad), run, ms, mg, TAIL_SUR, TAIL_GIV}
static const char *const zh_bad[] = {"NGNG"};
static const TailSpec tails[NCULT] = {
    [C_ES] = TAIL(gen_es, es_bad, 3, 11, 9), [C_EN] = TAIL(gen_en, en_bad, 3, 10, 8),
    [C_AR] = TAIL(gen_ar, ar_bad, 3, 10, 11), [C_RU] = TAIL(gen_ru, ru_bad, 4, 12, 9),
    [C_ZH] = {gen_zh, zh_bad, NELEM(zh_bad), 5, 16, 16, ZH_TAIL_SUR, ZH_TAIL_GIV},
    [C_DE] = TAIL(gen_de, de_bad, 4, 12, 9), [C_PL] = TAIL(gen_pl, pl_bad, 5, 12, 9),
    [C_EL] = TAIL(gen_el, el_bad, 3, 13, 10), [C_NG] = TAIL(gen_ng, ng_bad, 3, 11, 10),
    [C_IN] = TAIL(gen_in, in_bad, 3, 11, 9)};
/* clang-format on */

static uint64_t str_key(const char *s)
{
    return hash_final(hash_bytes(0xCBF29CE484222325ull, s));
}

/* the name's last token (the one that is not a particle) passes the tradition's checks */
static bool plausible(const TailSpec *ts, const char *s, size_t min_len, size_t max_len)
{
    const char *t = strrchr(s, ' ');
    t = t ? t + 1 : s;
    size_t len = strlen(t);
    if (len < min_len || len > max_len)
        return false;
    int run = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] < 'A' || t[i] > 'Z')
            return false;
        if (i >= 2 && t[i] == t[i - 1] && t[i] == t[i - 2])
            return false;
        run = is_vowel(t[i]) ? 0 : run + 1;
        if (run > ts->maxrun)
            return false;
    }
    if (!strpbrk(t, "AEIOUY"))
        return false;
    for (size_t i = 0; i < ts->nbad; i++)
        if (strstr(t, ts->bad[i]))
            return false;
    return true;
}

/* Memory for tail names: blocks of strings, freed at exit. */
typedef struct Block {
    struct Block *next;
    size_t used;
    char data[1 << 20];
} Block;
static Block *blocks;

static const char *arena_dup(const char *s)
{
    size_t len = strlen(s) + 1;
    if (!blocks || blocks->used + len > sizeof blocks->data) {
        Block *b = malloc(sizeof *b);
        if (!b) {
            fprintf(stderr, "gen_eval: out of memory\n");
            exit(1);
        }
        b->next = blocks;
        b->used = 0;
        blocks = b;
    }
    char *p = blocks->data + blocks->used;
    memcpy(p, s, len);
    blocks->used += len;
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "gen_eval: out of memory\n");
        exit(1);
    }
    return p;
}

/* Zipf-like sampling: the list's rank r (its position, head first) has weight 1/(r+10). */
typedef struct {
    double *cum;   /* cumulative weights by rank */
    uint32_t *idx; /* rank -> index in the culture's list */
    size_t n;
} Zipf;

static Culture cults[NCULT];
static Zipf zsur[NCULT], zgiv[NCULT][2]; /* given names: [0] male, [1] female */

static void zipf_init(Zipf *z, const Tok *t, size_t n, char g)
{
    z->cum = xcalloc(n, sizeof *z->cum);
    z->idx = xcalloc(n, sizeof *z->idx);
    z->n = 0;
    double w = 0;
    for (size_t i = 0; i < n; i++)
        if (!g || t[i].g == g) {
            w += 1.0 / (double)(z->n + ZIPF_OFFSET);
            z->cum[z->n] = w;
            z->idx[z->n++] = (uint32_t)i;
        }
}

static size_t zipf_draw(const Zipf *z)
{
    double u = uniform() * z->cum[z->n - 1];
    size_t lo = 0, hi = z->n - 1;
    while (lo < hi) { /* first rank whose cumulative weight exceeds u */
        size_t mid = lo + (hi - lo) / 2;
        if (z->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return z->idx[lo];
}

static void zipf_free(Zipf *z)
{
    free(z->cum);
    free(z->idx);
}

static void exclude_tok(Set *s, const char *str)
{
    if (!str)
        return;
    set_add(s, str_key(str));
    Name nm = {.n = 0};
    name_add(&nm, str);
    for (int i = 0; i < nm.n; i++)
        set_add(s, str_key(nm.t[i]));
}

/* tail names of one kind (what: 0 surnames, 'M', 'F') appended to list[*n] */
static void make_tail(size_t c, char what, size_t want, const Set *excl, Tok *list, size_t *n)
{
    const TailSpec *ts = &tails[c];
    Set seen;
    set_init(&seen, want);
    size_t made = 0, tries = 0;
    while (made < want && tries++ < want * 200) {
        char b[GLEN] = "";
        ts->gen(b, what, made);
        const char *last = strrchr(b, ' ');
        last = last ? last + 1 : b;
        if (!plausible(ts, b, c == C_ZH ? 2 : 3, what ? ts->maxgiv : ts->maxsur) ||
            set_has(excl, str_key(b)) || set_has(excl, str_key(last)) ||
            !set_add(&seen, str_key(b)))
            continue;
        list[(*n)++] = (Tok){arena_dup(b), NULL, NULL, what};
        made++;
    }
    free(seen.slot);
    if (made < want)
        fprintf(stderr, "gen_eval: tradition %zu: %zu of %zu tail names of kind %c\n", c, made,
                want, what ? what : 'S');
}

/* builds cults[] (head + tail of every tradition) and the samplers; independent of --seed */
static void build_pools(void)
{
    uint64_t saved = rng_state;
    rng_state = POOL_SEED;
    zh_init();
    Set excl; /* head tokens of every tradition, variants, particles */
    set_init(&excl, 4096);
    for (size_t c = 0; c < NCULT; c++) {
        const Culture *h = &heads[c];
        for (size_t i = 0; i < h->nsur; i++) {
            exclude_tok(&excl, h->sur[i].std);
            exclude_tok(&excl, h->sur[i].alt);
        }
        for (size_t i = 0; i < h->ngiv; i++) {
            exclude_tok(&excl, h->giv[i].std);
            exclude_tok(&excl, h->giv[i].alt);
        }
    }
    for (size_t g = 0; g < NELEM(variants); g++)
        for (int i = 0; i < MAXVAR && variants[g][i]; i++)
            exclude_tok(&excl, variants[g][i]);
    for (size_t i = 0; i < NELEM(particles); i++)
        exclude_tok(&excl, particles[i]);

    for (size_t c = 0; c < NCULT; c++) {
        const Culture *h = &heads[c];
        const TailSpec *ts = &tails[c];
        Culture *cu = &cults[c];
        *cu = *h;
        Tok *sur = xcalloc(h->nsur + ts->nsur, sizeof *sur);
        size_t n = h->nsur;
        memcpy(sur, h->sur, h->nsur * sizeof *sur);
        make_tail(c, 0, ts->nsur, &excl, sur, &n);
        cu->sur = sur;
        cu->nsur = n;

        Tok *giv = xcalloc(h->ngiv + 2 * ts->ngiv, sizeof *giv);
        n = h->ngiv;
        memcpy(giv, h->giv, h->ngiv * sizeof *giv);
        make_tail(c, 'M', ts->ngiv, &excl, giv, &n);
        make_tail(c, 'F', ts->ngiv, &excl, giv, &n);
        cu->giv = giv;
        cu->ngiv = n;

        zipf_init(&zsur[c], cu->sur, cu->nsur, 0);
        zipf_init(&zgiv[c][0], cu->giv, cu->ngiv, 'M');
        zipf_init(&zgiv[c][1], cu->giv, cu->ngiv, 'F');
    }
    free(excl.slot);
    rng_state = saved;
}

static void free_pools(void)
{
    for (size_t c = 0; c < NCULT; c++) {
        free((void *)cults[c].sur);
        free((void *)cults[c].giv);
        zipf_free(&zsur[c]);
        zipf_free(&zgiv[c][0]);
        zipf_free(&zgiv[c][1]);
    }
    while (blocks) {
        Block *b = blocks->next;
        free(blocks);
        blocks = b;
    }
}

static size_t pick_surname(size_t c)
{
    return zipf_draw(&zsur[c]);
}

/* a given name of culture c and the gender ('M' or 'F'; 0: either) */
static size_t pick_given_c(size_t c, char gender)
{
    if (!gender)
        gender = chance(0.5) ? 'M' : 'F';
    return zipf_draw(&zgiv[c][gender == 'F']);
}

/* ---- entries ------------------------------------------------------------------------------- */

enum {
    E_YEAR_ONLY = 1,  /* birth date is a year only */
    E_NATIVE_ALT = 2, /* primary in the other romanization, native-script alias */
    E_JOINED = 4,     /* compound surname stored joined (ALRASHID) */
    E_PASSPORT = 8,
    E_VAR_ALIAS = 16, /* has an alias from the variants table */
    E_ALT_ALIAS = 32, /* has an alias in the other romanization */
    E_NAT_ALIAS = 64, /* has a native-script alias */
    E_NO_ALIAS = 128, /* made to give translit a candidate: no alias */
};

typedef struct {
    uint32_t sur, giv[2]; /* indices in the culture's lists */
    uint16_t year;
    uint8_t cult, ngiv, mon, day, nat, flags;
    char gender;
    char passport[10];
} Entry;

enum { FORM_PRIMARY, FORM_STD, FORM_ALT };

static bool compound_tok(const Tok *s)
{
    char first[TOKLEN];
    size_t len = strcspn(s->std, " ");
    if (!s->std[len] || len >= TOKLEN)
        return false;
    memcpy(first, s->std, len);
    first[len] = 0;
    return is_particle(first);
}

static void entry_name(const Entry *e, int form, Name *nm)
{
    const Culture *c = &cults[e->cult];
    bool alt = form == FORM_ALT || (form == FORM_PRIMARY && (e->flags & E_NATIVE_ALT));
    const Tok *s = &c->sur[e->sur];
    const char *ss = alt && s->alt ? s->alt : s->std;
    char buf[TOKLEN];
    if (form == FORM_PRIMARY && (e->flags & E_JOINED)) {
        size_t j = 0;
        for (const char *p = ss; *p && j < TOKLEN - 1; p++)
            if (*p != ' ')
                buf[j++] = *p;
        buf[j] = 0;
        ss = buf;
    }
    nm->n = 0;
    name_add(nm, ss);
    nm->nsur = nm->n;
    for (int i = 0; i < e->ngiv; i++) {
        const Tok *g = &c->giv[e->giv[i]];
        name_add(nm, alt && g->alt ? g->alt : g->std);
    }
}

static Date entry_date(const Entry *e)
{
    return (Date){e->year, e->mon, e->day};
}

/* the birth date a traveller of this entry carries: the entry's, or a day in its year */
static Date entry_travel_date(const Entry *e)
{
    return (e->flags & E_YEAR_ONLY) ? date_in_year(e->year) : entry_date(e);
}

static size_t pick_given(const Culture *c, char gender)
{
    return pick_given_c((size_t)(c - cults), gender);
}

/* Draws a name of tradition c as the watchlist and the passenger stream hold them: the gender
 * (when *gender is 0), one or two given names of it (ngiv; 0: two in 40%, Chinese 10%) and the
 * surname, each by its Zipf rank; besides, a fifth of the Arabic names (gender free or male)
 * start with MUHAMMAD and 5% of the Chinese surnames are WANG. */
static void draw_name(size_t c, char *gender, int ngiv, uint32_t *sur, uint32_t giv[2], uint8_t *ng)
{
    size_t g0;
    if (c == C_AR && *gender != 'F' && chance(*gender ? 1.0 / 3 : 0.2)) {
        g0 = 0;
        *gender = 'M';
    } else {
        if (!*gender)
            *gender = chance(0.5) ? 'M' : 'F';
        g0 = pick_given_c(c, *gender);
    }
    giv[0] = (uint32_t)g0;
    *ng = 1;
    if (ngiv ? ngiv > 1 : chance(c == C_ZH ? 0.1 : 0.4)) {
        size_t g1 = pick_given_c(c, *gender);
        if (g1 != g0)
            giv[(*ng)++] = (uint32_t)g1;
    }
    *sur = (uint32_t)(c == C_ZH && chance(0.05) ? 0 : pick_surname(c));
}

/* every name part has a native-script form */
static bool native_ok(const Entry *e)
{
    const Culture *c = &cults[e->cult];
    if (!c->native || !c->sur[e->sur].nat)
        return false;
    for (int i = 0; i < e->ngiv; i++)
        if (!c->giv[e->giv[i]].nat)
            return false;
    return true;
}

/* some name part has another romanization */
static bool alt_ok(const Entry *e)
{
    const Culture *c = &cults[e->cult];
    if (c->sur[e->sur].alt)
        return true;
    for (int i = 0; i < e->ngiv; i++)
        if (c->giv[e->giv[i]].alt)
            return true;
    return false;
}

static void gen_entry(Entry *e)
{
    memset(e, 0, sizeof *e);
    e->cult = (uint8_t)rnd(NCULT);
    const Culture *c = &cults[e->cult];
    draw_name(e->cult, &e->gender, 0, &e->sur, e->giv, &e->ngiv);
    Date d = rand_birth();
    e->year = (uint16_t)d.y;
    e->mon = (uint8_t)d.m;
    e->day = (uint8_t)d.d;
    e->nat = (uint8_t)rnd(c->nnat);
    if (chance(0.1))
        e->flags |= E_YEAR_ONLY;
    if (native_ok(e) && chance(0.3))
        e->flags |= E_NATIVE_ALT;
    else if (compound_tok(&c->sur[e->sur]) && chance(0.15))
        e->flags |= E_JOINED;
    if (chance(0.6)) {
        e->flags |= E_PASSPORT;
        new_passport(e->passport);
    }
}

static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_name(FILE *f, const Name *nm, const char *type)
{
    char buf[MAXTOK * TOKLEN];
    fputs("{\"surname\":", f);
    name_join(nm, 0, nm->nsur, buf, sizeof buf);
    put_str(f, buf);
    fputs(",\"given_names\":", f);
    name_join(nm, nm->nsur, nm->n, buf, sizeof buf);
    put_str(f, buf);
    fprintf(f, ",\"type\":\"%s\"}", type);
}

static void put_native(FILE *f, const Entry *e)
{
    const Culture *c = &cults[e->cult];
    char buf[MAXTOK * TOKLEN];
    size_t len = 0;
    for (int i = 0; i < e->ngiv; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", c->giv[e->giv[i]].nat);
    snprintf(buf + len, sizeof buf - len, "%s", c->sur[e->sur].nat);
    fputs("{\"full\":", f);
    put_str(f, buf);
    fputs(",\"type\":\"alias\"}", f);
}

/* the primary with its variant-table tokens replaced (at least one); false when it has none */
static bool variant_name(const Name *p, Name *out)
{
    *out = *p;
    int cand[MAXTOK], n = 0;
    for (int i = 0; i < p->n; i++)
        if (variant_group(p->t[i]) >= 0)
            cand[n++] = i;
    if (!n)
        return false;
    int must = cand[rnd((size_t)n)];
    for (int k = 0; k < n; k++)
        if (cand[k] == must || chance(0.5))
            snprintf(out->t[cand[k]], TOKLEN, "%s",
                     variant_other(variant_group(p->t[cand[k]]), p->t[cand[k]]));
    return true;
}

static void add_key(const Name *nm, const char *date)
{
    set_add(&names, name_key(nm, date));
}

static void write_entry(FILE *f, Entry *e, size_t idx)
{
    const Culture *c = &cults[e->cult];
    Name p, alias;
    char date[16];
    fmt_date(entry_date(e), e->flags & E_YEAR_ONLY, date);
    entry_name(e, FORM_PRIMARY, &p);
    add_key(&p, date);
    fprintf(f, "{\"list\":\"wanted\",\"id\":\"W-%zu\",\"names\":[", idx);
    put_name(f, &p, "primary");

    if (e->flags & E_NATIVE_ALT) {
        fputc(',', f);
        put_native(f, e);
        e->flags |= E_NAT_ALIAS;
    } else {
        enum { A_VAR, A_NAT, A_ALT };
        int avail[3], navail = 0;
        bool has_var = variant_name(&p, &alias);
        if (has_var)
            avail[navail++] = A_VAR;
        if (native_ok(e))
            avail[navail++] = A_NAT;
        if (alt_ok(e))
            avail[navail++] = A_ALT;
        size_t r = rnd(100);
        int want = (e->flags & E_NO_ALIAS) ? 0 : r < 50 ? 0 : r < 85 ? 1 : 2;
        for (int k = 0; k < want && navail; k++) {
            size_t j = rnd((size_t)navail);
            int type = avail[j];
            avail[j] = avail[--navail];
            fputc(',', f);
            if (type == A_VAR) {
                put_name(f, &alias, "alias");
                add_key(&alias, date);
                e->flags |= E_VAR_ALIAS;
            } else if (type == A_NAT) {
                put_native(f, e);
                e->flags |= E_NAT_ALIAS;
            } else {
                Name a;
                entry_name(e, FORM_ALT, &a);
                put_name(f, &a, "alias");
                e->flags |= E_ALT_ALIAS;
            }
        }
    }
    if (c->native) { /* the romanizations of the native name count as listed names */
        Name a;
        entry_name(e, FORM_STD, &a);
        add_key(&a, date);
        entry_name(e, FORM_ALT, &a);
        add_key(&a, date);
    }
    fprintf(f, "],\"birth_dates\":[\"%s\"],\"gender\":\"%c\",\"nationalities\":[\"%s\"]", date,
            e->gender, c->nats[e->nat]);
    if (e->flags & E_PASSPORT)
        fprintf(f, ",\"documents\":[{\"type\":\"P\",\"number\":\"%s\",\"issuer\":\"%s\"}]",
                e->passport, c->nats[e->nat]);
    fputs("}\n", f);
}

/* ---- travellers ---------------------------------------------------------------------------- */

enum {
    K_EXACT,
    K_TYPO1,
    K_TYPO2,
    K_TRANSLIT,
    K_SWAP,
    K_MID_MISSING,
    K_MID_EXTRA,
    K_COMPOUND,
    K_NATIVE,
    K_INITIALS,
    K_DOB,
    K_DOC_CONF,
    K_DOC_ONLY,
    NKIND
};
static const char *const kind_names[NKIND] = {
    "exact",          "typo1",          "typo2",    "translit",     "swap",
    "middle_missing", "middle_extra",   "compound", "native_alias", "initials",
    "dob_variant",    "doc_confusable", "doc_only"};

typedef struct {
    Name nm;
    Date dob;
    char gender;
    const char *nat;
    char doc[16];
    const char *issuer;
} Traveller;

static void put_traveller(FILE *f, const char *id, const Traveller *t)
{
    char buf[MAXTOK * TOKLEN], date[16];
    fputs("{\"id\":", f);
    put_str(f, id);
    name_join(&t->nm, 0, t->nm.nsur, buf, sizeof buf);
    fputs(",\"surname\":", f);
    put_str(f, buf);
    name_join(&t->nm, t->nm.nsur, t->nm.n, buf, sizeof buf);
    fputs(",\"given_names\":", f);
    put_str(f, buf);
    fmt_date(t->dob, false, date);
    fprintf(f,
            ",\"birth_date\":\"%s\",\"gender\":\"%c\",\"nationality\":\"%s\","
            "\"documents\":[{\"type\":\"P\",\"number\":",
            date, t->gender, t->nat);
    put_str(f, t->doc);
    fprintf(f, ",\"issuer\":\"%s\"}]}\n", t->issuer);
}

static bool eligible(const char *t)
{
    return strlen(t) >= 4 && !is_particle(t);
}

static int count_eligible(const Name *nm)
{
    int n = 0;
    for (int i = 0; i < nm->n; i++)
        n += eligible(nm->t[i]);
    return n;
}

static void typo(char *t)
{
    size_t n = strlen(t);
    size_t op = rnd(4), pos;
    if (op == 3) { /* transposition of two different neighbours, else a substitution */
        pos = rnd(n - 1);
        if (t[pos] != t[pos + 1]) {
            char c = t[pos];
            t[pos] = t[pos + 1];
            t[pos + 1] = c;
            return;
        }
        op = 0;
    }
    if (op == 0) {
        pos = rnd(n);
        char c;
        do
            c = (char)('A' + rnd(26));
        while (c == t[pos]);
        t[pos] = c;
    } else if (op == 1) {
        pos = rnd(n + 1);
        memmove(t + pos + 1, t + pos, n - pos + 1);
        t[pos] = (char)('A' + rnd(26));
    } else {
        pos = rnd(n);
        memmove(t + pos, t + pos + 1, n - pos);
    }
}

static bool translit_candidate(const Name *nm)
{
    for (int i = 0; i < nm->n; i++)
        if (variant_group(nm->t[i]) >= 0)
            return true;
    return false;
}

static bool qualifies(int kind, const Entry *e)
{
    Name p;
    entry_name(e, FORM_PRIMARY, &p);
    switch (kind) {
    case K_TYPO1:
        return count_eligible(&p) >= 1;
    case K_TYPO2:
        return count_eligible(&p) >= 2;
    case K_TRANSLIT:
        return !(e->flags & (E_VAR_ALIAS | E_ALT_ALIAS | E_NATIVE_ALT)) && translit_candidate(&p);
    case K_MID_MISSING:
        return e->ngiv == 2;
    case K_MID_EXTRA:
        return e->ngiv == 1;
    case K_COMPOUND:
        return p.nsur > 1 ? is_particle(p.t[0]) : (e->flags & E_JOINED) != 0;
    case K_NATIVE:
        return (e->flags & E_NATIVE_ALT) != 0;
    case K_DOC_CONF:
    case K_DOC_ONLY:
        return (e->flags & E_PASSPORT) != 0;
    default:
        return true;
    }
}

static bool listed_name_date(const Name *nm, Date d)
{
    char full[16], year[16];
    fmt_date(d, false, full);
    fmt_date(d, true, year);
    return set_has(&names, name_key(nm, full)) || set_has(&names, name_key(nm, year));
}

/* a random name from culture c drawn like the watchlist's, with given names of the gender (0:
 * either) and ngiv of them (0: one or two); returns the gender */
static char random_name(size_t c, char gender, int ngiv, Name *nm)
{
    const Culture *cu = &cults[c];
    uint32_t sur, giv[2];
    uint8_t ng;
    draw_name(c, &gender, ngiv, &sur, giv, &ng);
    nm->n = 0;
    name_add(nm, cu->sur[sur].std);
    nm->nsur = nm->n;
    for (int i = 0; i < ng; i++)
        if (!name_has(nm, cu->giv[giv[i]].std))
            name_add(nm, cu->giv[giv[i]].std);
    return gender;
}

/* a name from another culture than the entry's, not listed with birth date d */
static void other_name(const Entry *e, Date d, Name *nm)
{
    do {
        size_t c = rnd(NCULT - 1);
        if (c >= e->cult)
            c++;
        random_name(c, e->gender, 1 + (int)rnd(2), nm);
    } while (listed_name_date(nm, d));
}

static void make_listed(int kind, const Entry *e, Traveller *t)
{
    const Culture *c = &cults[e->cult];
    Name *nm = &t->nm;
    entry_name(e, FORM_PRIMARY, nm);
    t->dob = entry_travel_date(e);
    t->gender = e->gender;
    t->nat = c->nats[e->nat];
    t->issuer = t->nat;
    new_passport(t->doc);

    switch (kind) {
    case K_EXACT:
        break;
    case K_TYPO1:
    case K_TYPO2: {
        int cand[MAXTOK], n = 0;
        for (int i = 0; i < nm->n; i++)
            if (eligible(nm->t[i]))
                cand[n++] = i;
        size_t a = rnd((size_t)n);
        typo(nm->t[cand[a]]);
        if (kind == K_TYPO2) {
            size_t b = rnd((size_t)n - 1);
            if (b >= a)
                b++;
            typo(nm->t[cand[b]]);
        }
        break;
    }
    case K_TRANSLIT: {
        int cand[MAXTOK], n = 0;
        for (int i = 0; i < nm->n; i++)
            if (variant_group(nm->t[i]) >= 0)
                cand[n++] = i;
        int i = cand[rnd((size_t)n)];
        snprintf(nm->t[i], TOKLEN, "%s", variant_other(variant_group(nm->t[i]), nm->t[i]));
        break;
    }
    case K_SWAP: {
        Name s = {.n = 0};
        for (int i = nm->nsur; i < nm->n; i++)
            name_add(&s, nm->t[i]);
        s.nsur = s.n;
        for (int i = 0; i < nm->nsur; i++)
            name_add(&s, nm->t[i]);
        *nm = s;
        break;
    }
    case K_MID_MISSING:
        name_remove(nm, nm->n - 1);
        break;
    case K_MID_EXTRA: {
        const char *g;
        do {
            const Tok *tk = &c->giv[pick_given(c, e->gender)];
            g = (e->flags & E_NATIVE_ALT) && tk->alt ? tk->alt : tk->std;
        } while (name_has(nm, g));
        name_add(nm, g);
        break;
    }
    case K_COMPOUND:
        if (e->flags & E_JOINED) { /* split */
            Name s;
            entry_name(e, FORM_STD, &s);
            *nm = s;
        } else if (chance(0.5)) { /* join */
            char buf[TOKLEN] = "";
            for (int i = 0; i < nm->nsur; i++)
                strncat(buf, nm->t[i], TOKLEN - 1 - strlen(buf));
            int extra = nm->nsur - 1;
            for (int k = 0; k < extra; k++)
                name_remove(nm, 1);
            snprintf(nm->t[0], TOKLEN, "%s", buf);
        } else { /* drop the particles */
            while (nm->nsur > 1 && is_particle(nm->t[0]))
                name_remove(nm, 0);
        }
        break;
    case K_NATIVE:
        entry_name(e, FORM_STD, nm);
        break;
    case K_INITIALS:
        for (int i = nm->nsur; i < nm->n; i++)
            nm->t[i][1] = 0;
        break;
    case K_DOB:
        if (!(e->flags & E_YEAR_ONLY)) {
            Date d = t->dob;
            if (d.d <= 12 && d.d != d.m && chance(0.5)) {
                t->dob.m = d.d;
                t->dob.d = d.m;
            } else {
                t->dob = date_step(d, chance(0.5) ? 1 : -1);
            }
        }
        break;
    case K_DOC_CONF: {
        other_name(e, t->dob, nm);
        const char *p = e->passport;
        if (strchr(p + 2, '0') && chance(0.5)) {
            snprintf(t->doc, sizeof t->doc, "%s", p);
            for (char *q = t->doc + 2; *q; q++)
                if (*q == '0')
                    *q = 'O';
        } else {
            snprintf(t->doc, sizeof t->doc, "%.2s %.4s %.3s", p, p + 2, p + 6);
        }
        break;
    }
    case K_DOC_ONLY:
        other_name(e, t->dob, nm);
        snprintf(t->doc, sizeof t->doc, "%s", e->passport);
        break;
    }
}

enum { CL_RANDOM, CL_SURNAME, CL_GIVEN, CL_COMMON, NCLEAN };
static const char *const clean_names[NCLEAN] = {"random", "near miss: listed surname",
                                                "near miss: listed given name",
                                                "near miss: common token only"};

static int make_clean(const Entry *entries, size_t n_entries, Traveller *t)
{
    int type = chance(0.7) ? CL_RANDOM : 1 + (int)rnd(3);
    Name *nm = &t->nm;
    for (;;) {
        const Entry *e = &entries[rnd(n_entries)];
        size_t c = e->cult;
        const Culture *cu = &cults[c];
        t->gender = e->gender;
        if (type == CL_RANDOM) {
            c = rnd(NCULT);
            cu = &cults[c];
            t->gender = random_name(c, 0, 0, nm);
            t->dob = rand_birth();
        } else if (type == CL_SURNAME) { /* listed surname, other given name, other year */
            Name p;
            entry_name(e, FORM_PRIMARY, &p);
            nm->n = 0;
            for (int i = 0; i < p.nsur; i++)
                name_add(nm, p.t[i]);
            nm->nsur = nm->n;
            const char *g;
            do
                g = cu->giv[pick_given(cu, e->gender)].std;
            while (name_has(&p, g));
            name_add(nm, g);
            do
                t->dob = rand_birth();
            while (t->dob.y == e->year);
        } else if (type == CL_GIVEN) { /* listed given names, another surname */
            Name p;
            entry_name(e, FORM_PRIMARY, &p);
            const char *s;
            do
                s = cu->sur[pick_surname(c)].std;
            while (!strcmp(s, cu->sur[e->sur].std));
            nm->n = 0;
            name_add(nm, s);
            nm->nsur = nm->n;
            for (int i = p.nsur; i < p.n; i++)
                name_add(nm, p.t[i]);
            t->dob = chance(0.5) ? entry_travel_date(e) : rand_birth();
        } else { /* only a very common token is shared */
            size_t which = rnd(3);
            size_t oc = rnd(NCULT);
            if (oc == (which == 0 ? C_AR : which == 1 ? C_EN : C_ZH))
                continue;
            cu = &cults[oc];
            c = oc;
            t->gender = 'M';
            random_name(oc, 'M', 1, nm);
            if (which == 0)
                snprintf(nm->t[nm->nsur], TOKLEN, "MUHAMMAD");
            else
                snprintf(nm->t[0], TOKLEN, "%s", which == 1 ? "SMITH" : "WANG");
            if (nm->nsur > 1 && which != 0) /* a compound surname becomes the common one */
                while (nm->nsur > 1)
                    name_remove(nm, 1);
            t->dob = rand_birth();
        }
        if (listed_name_date(nm, t->dob))
            continue;
        t->nat = cu->nats[rnd(cu->nnat)];
        t->issuer = t->nat;
        new_passport(t->doc);
        return type;
    }
}

/* an entry that qualifies for kind (for translit, one made to carry no alias) */
static void gen_entry_for(Entry *e, int kind)
{
    for (long tries = 0; tries < 10000000; tries++) {
        gen_entry(e);
        if (kind == K_TRANSLIT)
            e->flags |= E_NO_ALIAS;
        if (qualifies(kind, e))
            return;
    }
}

/* ---- main ---------------------------------------------------------------------------------- */

static size_t parse_count(const char *s, const char *opt)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || !*s) {
        fprintf(stderr, "gen_eval: %s needs a number\n", opt);
        exit(2);
    }
    return (size_t)v;
}

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen_eval: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static void close_out(FILE *f, const char *name)
{
    if (fflush(f) || ferror(f) || fclose(f)) {
        fprintf(stderr, "gen_eval: writing %s failed\n", name);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    size_t n_entries = 100000, n_listed = 5000, n_clean = 20000;
    uint64_t seed = 1;
    const char *out = NULL;
    static const struct option opts[] = {
        {"entries", required_argument, NULL, 'e'}, {"listed", required_argument, NULL, 'l'},
        {"clean", required_argument, NULL, 'c'},   {"seed", required_argument, NULL, 's'},
        {"out", required_argument, NULL, 'o'},     {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'e':
            n_entries = parse_count(optarg, "--entries");
            break;
        case 'l':
            n_listed = parse_count(optarg, "--listed");
            break;
        case 'c':
            n_clean = parse_count(optarg, "--clean");
            break;
        case 's':
            seed = parse_count(optarg, "--seed");
            break;
        case 'o':
            out = optarg;
            break;
        default:
            fprintf(stderr, "usage: gen_eval [--entries N] [--listed K] [--clean M] [--seed S] "
                            "--out DIR\n");
            return 2;
        }
    }
    if (!out || optind != argc || n_entries == 0) {
        fprintf(stderr, "usage: gen_eval [--entries N] [--listed K] [--clean M] [--seed S] "
                        "--out DIR   (N > 0)\n");
        return 2;
    }
    if (mkdir(out, 0777) && errno != EEXIST) {
        fprintf(stderr, "gen_eval: %s: %s\n", out, strerror(errno));
        return 1;
    }
    build_pools();
    rng_state = seed;
    set_init(&names, n_entries * 4);
    set_init(&docs, n_entries + n_listed + n_clean);

    Entry *entries = calloc(n_entries, sizeof *entries);
    if (!entries) {
        fprintf(stderr, "gen_eval: out of memory\n");
        return 1;
    }
    size_t c_year = 0, c_pass = 0, c_native_alt = 0, c_nat = 0, c_var = 0, c_alt = 0;
    size_t c_joined = 0, c_alias = 0;
    /* Every kind of listed traveller needs entries to vary. Kinds that need rarer entries
     * (native_alias: every name part from a head table with native script) could lack them in
     * small lists, so once the entries left are just enough to make up the shortfall, the
     * remaining entries are drawn until they qualify for the kind furthest short of `need`. */
    size_t share = (n_listed + NKIND - 1) / NKIND, need = n_entries / (4 * NKIND);
    if (need < 1)
        need = 1;
    if (need > share)
        need = share;
    size_t qual[NKIND] = {0}, forced = 0;
    Set st_sur, st_giv, st_full, st_dup; /* name statistics of the primary names */
    set_init(&st_sur, n_entries);
    set_init(&st_giv, 2 * n_entries);
    set_init(&st_full, n_entries);
    set_init(&st_dup, n_entries);
    size_t n_sur = 0, n_giv = 0;
    FILE *wl = open_out(out, "watchlist.jsonl");
    for (size_t i = 0; i < n_entries; i++) {
        Entry *e = &entries[i];
        size_t short_all = 0, short_max = 0;
        int want = -1;
        for (int k = 0; k < NKIND; k++)
            if (qual[k] < need) {
                short_all += need - qual[k];
                if (need - qual[k] > short_max) {
                    short_max = need - qual[k];
                    want = k;
                }
            }
        if (want >= 0 && short_all >= n_entries - i) {
            gen_entry_for(e, want);
            forced++;
        } else {
            gen_entry(e);
        }
        write_entry(wl, e, i + 1);
        for (int k = 0; k < NKIND; k++)
            qual[k] += qualifies(k, e);
        Name p;
        char buf[MAXTOK * TOKLEN];
        entry_name(e, FORM_PRIMARY, &p);
        name_join(&p, 0, p.nsur, buf, sizeof buf);
        n_sur += set_add(&st_sur, str_key(buf));
        for (int k = p.nsur; k < p.n; k++)
            n_giv += set_add(&st_giv, str_key(p.t[k]));
        if (!set_add(&st_full, name_key(&p, "")))
            set_add(&st_dup, name_key(&p, ""));
        c_year += !!(e->flags & E_YEAR_ONLY);
        c_pass += !!(e->flags & E_PASSPORT);
        c_native_alt += !!(e->flags & E_NATIVE_ALT);
        c_nat += !!(e->flags & E_NAT_ALIAS);
        c_var += !!(e->flags & E_VAR_ALIAS);
        c_alt += !!(e->flags & E_ALT_ALIAS);
        c_joined += !!(e->flags & E_JOINED);
        c_alias += !!(e->flags & (E_NAT_ALIAS | E_VAR_ALIAS | E_ALT_ALIAS));
    }
    close_out(wl, "watchlist.jsonl");
    size_t n_unique = 0;
    for (size_t i = 0; i < n_entries; i++) {
        Name p;
        entry_name(&entries[i], FORM_PRIMARY, &p);
        n_unique += !set_has(&st_dup, name_key(&p, ""));
    }

    FILE *tf = open_out(out, "travellers.jsonl");
    size_t per_kind[NKIND] = {0}, skipped = 0, per_clean[NCLEAN] = {0};
    char id[128];
    Traveller t;
    for (size_t i = 0; i < n_listed; i++) {
        int kind = (int)(i % NKIND);
        size_t idx = 0;
        bool found = false;
        for (int tries = 0; tries < 1000000 && !found; tries++) {
            idx = rnd(n_entries);
            found = qualifies(kind, &entries[idx]);
        }
        if (!found) {
            skipped++;
            continue;
        }
        make_listed(kind, &entries[idx], &t);
        snprintf(id, sizeof id, "L-%s-W-%zu-%zu", kind_names[kind], idx + 1, i + 1);
        put_traveller(tf, id, &t);
        per_kind[kind]++;
    }
    for (size_t i = 0; i < n_clean; i++) {
        per_clean[make_clean(entries, n_entries, &t)]++;
        snprintf(id, sizeof id, "C-%zu", i + 1);
        put_traveller(tf, id, &t);
    }
    close_out(tf, "travellers.jsonl");

    fprintf(stderr,
            "gen_eval: %zu entries (%zu with aliases: %zu native script, %zu variant, %zu other "
            "romanization; %zu primary in another romanization; %zu joined compound surnames; "
            "%zu year-only birth dates; %zu passports) -> %s/watchlist.jsonl\n",
            n_entries, c_alias, c_nat, c_var, c_alt, c_native_alt, c_joined, c_year, c_pass, out);
    fprintf(stderr,
            "gen_eval: primary names: %zu distinct surnames, %zu distinct given names, %.1f%% "
            "of entries with a full name no other entry has; %zu entries drawn to give every "
            "kind %zu qualifying entries\n",
            n_sur, n_giv, 100.0 * (double)n_unique / (double)n_entries, forced, need);
    fprintf(stderr, "gen_eval: %zu listed travellers:", n_listed - skipped);
    for (int k = 0; k < NKIND; k++)
        fprintf(stderr, " %s %zu", kind_names[k], per_kind[k]);
    if (skipped)
        fprintf(stderr, " (skipped %zu: no entry qualified)", skipped);
    fprintf(stderr, "\ngen_eval: %zu clean travellers:", n_clean);
    for (int k = 0; k < NCLEAN; k++)
        fprintf(stderr, "%s %s %zu", k ? "," : "", clean_names[k], per_clean[k]);
    fprintf(stderr, " -> %s/travellers.jsonl\n", out);
    free(entries);
    free(names.slot);
    free(docs.slot);
    free(st_sur.slot);
    free(st_giv.slot);
    free(st_full.slot);
    free(st_dup.slot);
    free_pools();
    return 0;
}
