/* bench/bench_normalize.c — throughput of ps_name_normalize (engine/name_normalize.c) per
 * script class: ASCII, Latin with diacritics, Cyrillic, Greek, Arabic, Han, and a mix of all.
 * Names are generated from syllable pools with a fixed seed (splitmix64), built before the
 * clock starts. Usage: bench_normalize [NAMES_PER_CLASS] (default 1,000,000 / 7). */
#include "paxscreen/normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng_state = 1;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static const char *const ascii_parts[] = {
    "JOHN", "SMITH",     "MARIA", "GARCIA", "O'NEIL",   "MR", "VAN", "DER",
    "BERG", "ELIZABETH", "LEE",   "ANNA",   "KOWALSKI", "DE", "LA",  "CRUZ"};
static const char *const latin_parts[] = {"José",   "Nuñez",  "Müller", "Ørsted",   "Straße",
                                          "Łukasz", "Wałęsa", "Zoë",    "François", "Çelik",
                                          "Dvořák", "Åsa",    "Þórunn", "Nguyễn"};
static const char *const cyrillic_parts[] = {"Владимир", "Путин",     "Юлия",    "Тимошенко",
                                             "Сергій",   "Иванов",    "Наталья", "Щербаков",
                                             "Шешељ",    "Бъчварова", "Андрей",  "Ёлкин"};
static const char *const greek_parts[] = {"Γιώργος",      "Παπαδόπουλος", "Ευάγγελος", "Βενιζέλος",
                                          "Μπακογιάννης", "Αύγουστος",    "Χρήστος",   "Θεόδωρος"};
static const char *const arabic_parts[] = {"محمد", "علي",  "أسامة", "بن",    "لادن",
                                           "عبد",  "الله", "حسين",  "عائشة", "موسى"};
static const char *const han_parts[] = {"王", "小", "明", "张", "伟", "李", "娜", "刘",
                                        "洋", "陈", "静", "杨", "军", "黄", "敏"};

typedef struct bench_class {
    const char *name;
    const char *const *parts;
    size_t n_parts;
    const char *sep;
} bench_class;

static const bench_class classes[] = {
    {"ascii", ascii_parts, NELEM(ascii_parts), " "},
    {"latin", latin_parts, NELEM(latin_parts), " "},
    {"cyrillic", cyrillic_parts, NELEM(cyrillic_parts), " "},
    {"greek", greek_parts, NELEM(greek_parts), " "},
    {"arabic", arabic_parts, NELEM(arabic_parts), " "},
    {"han", han_parts, NELEM(han_parts), ""},
};

/* Writes one generated name of class c into out (NUL-terminated); returns its length. */
static size_t make_name(const bench_class *c, char *out, size_t cap)
{
    size_t n = 0;
    int parts = 2 + (int)(rnd64() % 3);
    for (int i = 0; i < parts; i++) {
        const char *p = c->parts[rnd64() % c->n_parts];
        const char *sep = i ? c->sep : "";
        size_t need = strlen(sep) + strlen(p);
        if (n + need + 1 > cap)
            break;
        memcpy(out + n, sep, strlen(sep));
        n += strlen(sep);
        memcpy(out + n, p, strlen(p));
        n += strlen(p);
    }
    out[n] = '\0';
    return n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define NAME_CAP 128

/* Normalizes count names (rows of NAME_CAP bytes) and prints the rate. */
static void run(const char *label, const char *names, const size_t *lens, size_t count)
{
    ps_name_norm out;
    size_t tokens = 0;
    /* Warm up: the per-thread transliterator is created on first use. */
    ps_name_normalize(names, lens[0], &out);
    double t0 = now();
    for (size_t i = 0; i < count; i++) {
        ps_name_normalize(names + i * NAME_CAP, lens[i], &out);
        tokens += out.primary.n_tokens;
    }
    double dt = now() - t0;
    printf("%-9s %9zu names  %7.3f s  %10.0f names/s  %6.2f us/name  (%zu tokens)\n", label, count,
           dt, (double)count / dt, dt * 1e6 / (double)count, tokens);
}

int main(int argc, char **argv)
{
    size_t per_class = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000 / 7;
    if (per_class == 0)
        per_class = 1;
    size_t n_classes = NELEM(classes);
    char *names = malloc(per_class * NAME_CAP);
    size_t *lens = malloc(per_class * sizeof *lens);
    char *mixed = malloc(per_class * NAME_CAP);
    size_t *mixed_lens = malloc(per_class * sizeof *mixed_lens);
    if (!names || !lens || !mixed || !mixed_lens) {
        fprintf(stderr, "bench_normalize: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < per_class; i++)
        mixed_lens[i] = make_name(&classes[rnd64() % n_classes], mixed + i * NAME_CAP, NAME_CAP);

    size_t total = 0;
    double t0 = now();
    for (size_t c = 0; c < n_classes; c++) {
        for (size_t i = 0; i < per_class; i++)
            lens[i] = make_name(&classes[c], names + i * NAME_CAP, NAME_CAP);
        run(classes[c].name, names, lens, per_class);
        total += per_class;
    }
    run("mix", mixed, mixed_lens, per_class);
    total += per_class;
    printf("total     %9zu names in %.1f s (generation included)\n", total, now() - t0);
    ps_normalize_cleanup();
    free(names);
    free(lens);
    free(mixed);
    free(mixed_lens);
    return 0;
}
