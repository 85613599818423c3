/* bench/gen_eval.c — deterministic generator of the labelled match-quality set used by
 * bench/match_quality.sh: a watchlist (JSON Lines, interfaces.md "Watchlist entry", all in list
 * "wanted") and a traveller file (JSON Lines of "Traveller") holding
 *   - listed travellers, id "L-<kind>-<entry id>-<n>": each derived from one random entry by
 *     exactly one kind of variation (exact, typo1, typo2, translit, swap, middle_missing,
 *     middle_extra, compound, native_alias, initials, dob_variant, doc_confusable, doc_only),
 *     the kinds spread evenly; each should hit its entry;
 *   - clean travellers, id "C-<n>": random pool names (never equal to a listed name and birth
 *     date) and near misses (a listed surname with another given name and birth year, a listed
 *     given name with another surname, or only a very common token); none should hit.
 * Owns the name pools (ten naming traditions), the native-script tables (Cyrillic, Arabic,
 * Greek, each with its standard and one other romanization) and the romanization variants table.
 * Same options give the same bytes (splitmix64 PRNG, no clock, no locale). Counts go to stderr.
 *
 * usage: gen_eval [--entries N] [--listed K] [--clean M] [--seed S] --out DIR
 *   writes DIR/watchlist.jsonl and DIR/travellers.jsonl (DIR is created when absent). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG ---------------------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t rnd(size_t n)
{
    return (size_t)(rnd64() % n);
}

static bool chance(double p)
{
    return (double)(rnd64() >> 11) * (1.0 / 9007199254740992.0) < p;
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

static const Tok es_sur[] = {
    S("GARCIA"),  S("MARTINEZ"),   S("RODRIGUEZ"), S("LOPEZ"),   S("HERNANDEZ"), S("GONZALEZ"),
    S("PEREZ"),   S("SANCHEZ"),    S("RAMIREZ"),   S("TORRES"),  S("FLORES"),    S("JIMENEZ"),
    S("MORALES"), S("DE LA CRUZ"), S("DEL RIO"),   S("DE LEON"), S("DOS SANTOS")};
static const Tok es_giv[] = {M("JULIO"),  M("CARLOS"),    M("JOSE"),   M("JUAN"),
                             M("MIGUEL"), M("ALEJANDRO"), M("JAVIER"), M("DIEGO"),
                             M("PABLO"),  F("MARIA"),     F("LUCIA"),  F("CARMEN"),
                             F("ISABEL"), F("SOFIA"),     F("ELENA"),  F("ROSA")};
/* SMITH first: weighted as a very common surname */
static const Tok en_sur[] = {S("SMITH"),   S("JOHNSON"), S("WILLIAMS"), S("BROWN"),    S("JONES"),
                             S("TAYLOR"),  S("WILSON"),  S("DAVIES"),   S("EVANS"),    S("THOMAS"),
                             S("ROBERTS"), S("WALKER"),  S("WRIGHT"),   S("THOMPSON"), S("HUGHES")};
static const Tok en_giv[] = {M("JOHN"),  M("JAMES"),    M("ROBERT"),    M("MICHAEL"), M("WILLIAM"),
                             M("DAVID"), M("RICHARD"),  M("PETER"),     F("MARY"),    F("SARAH"),
                             F("EMMA"),  F("JENNIFER"), F("ELIZABETH"), F("LAURA"),   F("JESSICA")};
/* WANG first: weighted as a very common surname */
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
/* MUHAMMAD first: weighted as a very common given name */
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
static const Culture cults[NCULT] = {
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
} Set;

static void set_init(Set *s, size_t expected)
{
    size_t cap = 1024;
    while (cap < expected * 2)
        cap <<= 1;
    s->slot = calloc(cap, sizeof *s->slot);
    if (!s->slot) {
        fprintf(stderr, "gen_eval: out of memory\n");
        exit(1);
    }
    s->mask = cap - 1;
}

/* false when already present */
static bool set_add(Set *s, uint64_t k)
{
    k |= 1;
    for (size_t i = (size_t)(k >> 7) & s->mask;; i = (i + 1) & s->mask) {
        if (s->slot[i] == k)
            return false;
        if (!s->slot[i]) {
            s->slot[i] = k;
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

/* ---- entries ------------------------------------------------------------------------------- */

enum {
    E_YEAR_ONLY = 1,  /* birth date is a year only */
    E_NATIVE_ALT = 2, /* primary in the other romanization, native-script alias */
    E_JOINED = 4,     /* compound surname stored joined (ALRASHID) */
    E_PASSPORT = 8,
    E_VAR_ALIAS = 16, /* has an alias from the variants table */
    E_ALT_ALIAS = 32, /* has an alias in the other romanization */
    E_NAT_ALIAS = 64, /* has a native-script alias */
};

typedef struct {
    uint16_t sur, giv[2], year;
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
    for (;;) {
        size_t g = rnd(c->ngiv);
        if (!gender || c->giv[g].g == gender)
            return g;
    }
}

static void gen_entry(Entry *e)
{
    memset(e, 0, sizeof *e);
    e->cult = (uint8_t)rnd(NCULT);
    const Culture *c = &cults[e->cult];
    size_t g0 = e->cult == C_AR && chance(0.2) ? 0 : rnd(c->ngiv);
    e->giv[0] = (uint16_t)g0;
    e->gender = c->giv[g0].g;
    e->ngiv = 1;
    if (chance(0.4)) {
        size_t g1 = pick_given(c, e->gender);
        if (g1 != g0)
            e->giv[e->ngiv++] = (uint16_t)g1;
    }
    bool common = (e->cult == C_ZH || e->cult == C_EN) && chance(0.15);
    e->sur = (uint16_t)(common ? 0 : rnd(c->nsur));
    Date d = rand_birth();
    e->year = (uint16_t)d.y;
    e->mon = (uint8_t)d.m;
    e->day = (uint8_t)d.d;
    e->nat = (uint8_t)rnd(c->nnat);
    if (chance(0.1))
        e->flags |= E_YEAR_ONLY;
    if (c->native && chance(0.3))
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
        if (c->native) {
            avail[navail++] = A_NAT;
            avail[navail++] = A_ALT;
        }
        size_t r = rnd(100);
        int want = r < 50 ? 0 : r < 85 ? 1 : 2;
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

/* a random name from culture c with one or two given names of the gender */
static void random_name(size_t c, char gender, int ngiv, Name *nm)
{
    const Culture *cu = &cults[c];
    nm->n = 0;
    name_add(nm, cu->sur[rnd(cu->nsur)].std);
    nm->nsur = nm->n;
    name_add(nm, cu->giv[pick_given(cu, gender)].std);
    if (ngiv > 1) {
        const char *g = cu->giv[pick_given(cu, gender)].std;
        if (!name_has(nm, g))
            name_add(nm, g);
    }
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
            t->gender = chance(0.5) ? 'M' : 'F';
            random_name(c, t->gender, chance(0.4) ? 2 : 1, nm);
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
                s = cu->sur[rnd(cu->nsur)].std;
            while (s == cu->sur[e->sur].std);
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
    FILE *wl = open_out(out, "watchlist.jsonl");
    for (size_t i = 0; i < n_entries; i++) {
        Entry *e = &entries[i];
        gen_entry(e);
        write_entry(wl, e, i + 1);
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
    return 0;
}
