/* tests/unit/test_name_normalize.c — Check tests for engine/name_normalize.c: ASCII, titles and
 * particles, ICAO 9303 Latin, Cyrillic (with each language's alternate reading) and Greek,
 * Arabic, Han, Hangul, Hebrew and other scripts through ICU, bad UTF-8, limits, threads. */
#include "paxscreen/normalize.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>

static ps_name_norm nn;

/* Every form must hold A-Z tokens joined by single spaces, the slices must match the text and
 * an initial must be one letter long. */
static void check_form(const ps_name_form *f)
{
    ck_assert_uint_lt(f->len, PS_NAME_MAX_BYTES);
    ck_assert_uint_le(f->n_tokens, PS_NAME_MAX_TOKENS);
    ck_assert_uint_eq(strlen(f->text), f->len);
    size_t pos = 0;
    for (unsigned i = 0; i < f->n_tokens; i++) {
        ck_assert_uint_eq(f->start[i], pos);
        ck_assert_uint_gt(f->length[i], 0);
        for (unsigned k = 0; k < f->length[i]; k++) {
            char c = f->text[f->start[i] + k];
            ck_assert_msg(c >= 'A' && c <= 'Z', "token %u of '%s' holds %d", i, f->text, c);
        }
        pos += f->length[i];
        if (i + 1 < f->n_tokens) {
            ck_assert_int_eq(f->text[pos], ' ');
            pos++;
        }
        ck_assert_int_eq((f->flags[i] & PS_TOKEN_INITIAL) != 0, f->length[i] == 1);
    }
    ck_assert_uint_eq(pos, f->len);
}

/* Normalizes a copy of s in a buffer of exactly n bytes (no NUL), so a sanitizer build catches
 * any read past the end. */
static void norm_n(const char *s, size_t n)
{
    char *copy = malloc(n ? n : 1);
    if (n)
        memcpy(copy, s, n);
    memset(&nn, 0xA5, sizeof nn); /* every field must be written */
    ps_name_normalize(copy, n, &nn);
    free(copy);
    check_form(&nn.primary);
    check_form(&nn.alternate);
    bool differ = strcmp(nn.primary.text, nn.alternate.text) != 0;
    ck_assert_int_eq(nn.has_alternate, differ);
}

static void norm(const char *s)
{
    norm_n(s, strlen(s));
}

/* Primary and alternate text; alt NULL: no alternate. */
static void expect(const char *s, const char *primary, const char *alt)
{
    norm(s);
    ck_assert_msg(strcmp(nn.primary.text, primary) == 0, "'%s': primary '%s', expected '%s'", s,
                  nn.primary.text, primary);
    if (alt) {
        ck_assert_msg(nn.has_alternate, "'%s': no alternate, expected '%s'", s, alt);
        ck_assert_msg(strcmp(nn.alternate.text, alt) == 0, "'%s': alternate '%s', expected '%s'", s,
                      nn.alternate.text, alt);
    } else {
        ck_assert_msg(!nn.has_alternate, "'%s': unexpected alternate '%s'", s, nn.alternate.text);
    }
}

static void ck_token(const ps_name_form *f, unsigned i, const char *text, int flags)
{
    ck_assert_uint_lt(i, f->n_tokens);
    ck_assert_uint_eq(f->length[i], strlen(text));
    ck_assert_int_eq(memcmp(f->text + f->start[i], text, f->length[i]), 0);
    ck_assert_int_eq(f->flags[i], flags);
}

START_TEST(test_ascii_case_and_punctuation)
{
    expect("  smith,john-PAUL .  o'neil ", "SMITH JOHN PAUL ONEIL", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 4);
    ck_token(&nn.primary, 0, "SMITH", 0);
    ck_token(&nn.primary, 2, "PAUL", 0);
    ck_token(&nn.primary, 3, "ONEIL", 0);
    ck_assert(!nn.transliterated);
    ck_assert(!nn.truncated);
    ck_assert_str_eq(nn.alternate.text, nn.primary.text);
    expect("ANNA/MARIA;ERIKSSON_\t(X)", "ANNA MARIA ERIKSSON X", NULL);
    expect("ERIKSSON<<ANNA<MARIA", "ERIKSSON ANNA MARIA", NULL);
    expect("Smith2 J0hn 3", "SMITH JHN", NULL); /* digits dropped, not split */
    expect("`O`NEIL'", "ONEIL", NULL);
}
END_TEST

START_TEST(test_titles)
{
    expect("ELIZABETH", "ELIZABETH", NULL);
    expect("MR ELIZABETH SMITH", "ELIZABETH SMITH", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 2);
    expect("Mrs. Dr. Jones", "JONES", NULL);
    expect("JOHN SMITH SR", "JOHN SMITH", NULL);
    expect("Prof Sir Tim Berners-Lee", "TIM BERNERS LEE", NULL);
    expect("SMITH/JOHN MSTR", "SMITH JOHN", NULL);
    expect("MISSY MRSMITH", "MISSY MRSMITH", NULL); /* whole tokens only */
    /* A name that is only titles keeps them. */
    expect("MR", "MR", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 1);
    expect("mr. dr.", "MR DR", NULL);
    /* Names that look like titles stay. */
    expect("Dr. He Wei", "HE WEI", NULL);
    expect("Walter Lord", "WALTER LORD", NULL);
    expect("ZHANG GEN", "ZHANG GEN", NULL);
    expect("MAJ SJOWALL", "MAJ SJOWALL", NULL);
    expect("HANS HERR", "HANS HERR", NULL);
    expect("AYESHA SHAIKH", "AYESHA SHAIKH", NULL);
    ck_token(&nn.primary, 1, "SHAIKH", PS_TOKEN_PARTICLE);
    expect("Sheikh Hasina", "SHEIKH HASINA", NULL);
    ck_token(&nn.primary, 0, "SHEIKH", PS_TOKEN_PARTICLE);
}
END_TEST

START_TEST(test_latin_icao)
{
    expect("MÜLLER", "MUELLER", "MULLER");
    ck_assert(!nn.transliterated);
    expect("Müller", "MUELLER", "MULLER");
    expect("Mu\xcc\x88ller", "MUELLER", "MULLER"); /* decomposed: U + combining diaeresis */
    expect("ÅSA", "AASA", "ASA");
    expect("A\xcc\x8aSA", "AASA", "ASA");
    expect("ØRSTED", "OERSTED", "ORSTED");
    expect("Jörg Gräßle", "JOERG GRAESSLE", "JORG GRASSLE");
    expect("STRAßE", "STRASSE", NULL);
    expect("STRAẞE", "STRASSE", NULL);
    expect("Þórunn Ðorsteinsdóttir", "THORUNN DORSTEINSDOTTIR", NULL);
    expect("Łukasz Wałęsa", "LUKASZ WALESA", NULL);
    expect("Œuvre Ĳssel Æsir", "OEUVRE IJSSEL AESIR", NULL);
    expect("Đorđe", "DORDE", NULL);
}
END_TEST

START_TEST(test_latin_diacritics_dropped)
{
    expect("JOSÉ NUÑEZ", "JOSE NUNEZ", NULL);
    ck_assert(!nn.transliterated);
    expect("JOSE\xcc\x81", "JOSE", NULL);
    expect("François Façade Zoë", "FRANCOIS FACADE ZOE", NULL);
    expect("Nguyễn Văn Đức", "NGUYEN VAN DUC", NULL);
    expect("Çelik Şahin İstanbul Yıldız", "CELIK SAHIN ISTANBUL YILDIZ", NULL);
    expect("Dvořák Šťastný Žižka", "DVORAK STASTNY ZIZKA", NULL);
    /* No decomposition: ICU's Latin-ASCII. */
    expect("Ħal ŋa ﬁnn Ａｌｉ ǅuro", "HAL NA FINN ALI DZURO", NULL);
    ck_assert(!nn.transliterated);
}
END_TEST

START_TEST(test_apostrophes)
{
    expect("O'BRIEN", "OBRIEN", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 1);
    expect("D'SOUZA", "DSOUZA", NULL);
    expect("D’Souza", "DSOUZA", NULL);
    expect("Oʼneil Oʻahu", "ONEIL OAHU", NULL);
    expect("O' NEIL", "O NEIL", NULL);
}
END_TEST

START_TEST(test_particles_and_initials)
{
    expect("AL-RASHID", "AL RASHID", NULL);
    ck_token(&nn.primary, 0, "AL", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 1, "RASHID", 0);
    ck_token(&nn.alternate, 0, "AL", PS_TOKEN_PARTICLE);
    expect("van der Berg", "VAN DER BERG", NULL);
    ck_token(&nn.primary, 0, "VAN", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 1, "DER", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 2, "BERG", 0);
    expect("O NEIL Y GARCIA", "O NEIL Y GARCIA", NULL);
    ck_token(&nn.primary, 0, "O", PS_TOKEN_PARTICLE | PS_TOKEN_INITIAL);
    ck_token(&nn.primary, 2, "Y", PS_TOKEN_PARTICLE | PS_TOKEN_INITIAL);
    expect("J. R. R. Tolkien", "J R R TOLKIEN", NULL);
    ck_token(&nn.primary, 0, "J", PS_TOKEN_INITIAL);
    ck_token(&nn.primary, 3, "TOLKIEN", 0);
    expect("ABD AL AZIZ ABDULLAH BIN SAUD", "ABD AL AZIZ ABDULLAH BIN SAUD", NULL);
    ck_token(&nn.primary, 0, "ABD", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 3, "ABDULLAH", 0);
    ck_token(&nn.primary, 4, "BIN", PS_TOKEN_PARTICLE);
    expect("Leonardo da Vinci, Ludwig van Beethoven, de la Cruz, St John, McDonald",
           "LEONARDO DA VINCI LUDWIG VAN BEETHOVEN DE LA CRUZ ST JOHN MCDONALD", NULL);
    ck_token(&nn.primary, 1, "DA", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 6, "DE", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 7, "LA", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 9, "ST", PS_TOKEN_PARTICLE);
    ck_token(&nn.primary, 11, "MCDONALD", 0);
}
END_TEST

START_TEST(test_cyrillic_russian)
{
    expect("Владимир Путин", "VLADIMIR PUTIN", NULL);
    ck_assert(nn.transliterated);
    ck_assert_uint_eq(nn.primary.n_tokens, 2);
    /* ICAO: Ю IU, Я IA, Й I; the alternate is the older Russian passport reading. */
    expect("Юлия Тимошенко", "IULIIA TIMOSHENKO", "YULIYA TIMOSHENKO");
    expect("Юрий Гагарин", "IURII GAGARIN", "YURIY GAGARIN");
    expect("ЩЕРБАКОВ Ёж Жанна Хохлов Цой Чехов Шишкин Эдуард Ыбыр",
           "SHCHERBAKOV EZH ZHANNA KHOKHLOV TSOI CHEKHOV SHISHKIN EDUARD YBYR",
           "SHCHERBAKOV EZH ZHANNA KHOKHLOV TSOY CHEKHOV SHISHKIN EDUARD YBYR");
    expect("Подъячев Наталья", "PODIEIACHEV NATALIA", "PODYACHEV NATALYA"); /* Ъ IE, Ь omitted */
    expect("Ivan Иванов", "IVAN IVANOV", NULL);
}
END_TEST

START_TEST(test_cyrillic_ukrainian)
{
    /* Primary: the general ICAO (Russian) reading. Alternate: the Ukrainian national table
     * that Ukrainian passports use, picked because the name holds a Ukrainian letter. */
    expect("Сергій", "SERGII", "SERHII");
    expect("Юлія Тимошенко", "IULIIA TIMOSHENKO", "YULIIA TYMOSHENKO");
    expect("Євген Їжакевич", "IEVGEN IZHAKEVICH", "YEVHEN YIZHAKEVYCH");
    expect("Згурський Ігор", "ZGURSKII IGOR", "ZGHURSKYI IHOR");
    expect("Ґалаґан Григорій", "GALAGAN GRIGORII", "GALAGAN HRYHORII");
    /* Without a Ukrainian letter the name reads as Russian. */
    expect("Тимошенко", "TIMOSHENKO", NULL);
}
END_TEST

START_TEST(test_cyrillic_other_languages)
{
    /* Belarusian: Г H, Ё IO (І with Ы Э, or Ў). */
    expect("Лукашэнка Аляксандр Рыгоравіч", "LUKASHENKA ALIAKSANDR RYGORAVICH",
           "LUKASHENKA ALIAKSANDR RYHORAVICH");
    expect("Ўладзімір Алёна", "ULADZIMIR ALENA", "ULADZIMIR ALIONA");
    /* Bulgarian (Ъ without Ы Э Ё): Ъ A, Щ SHT, Х H, final -ИЯ IA. */
    expect("Бъчварова Мария", "BIECHVAROVA MARIIA", "BACHVAROVA MARIA");
    expect("Стъпкин Щерев Христо", "STIEPKIN SHCHEREV KHRISTO", "STAPKIN SHTEREV HRISTO");
    /* Serbian: Ж Z, Х H, Ц C, Ч C, Ш S. */
    expect("Шешељ Војислав", "SHESHELJ VOJISLAV", "SESELJ VOJISLAV");
    expect("Новак Ђоковић", "NOVAK DOKOVIC", NULL);
    expect("Џенић Чаушевић Цветковић", "DZENIC CHAUSHEVIC TSVETKOVIC", "DZENIC CAUSEVIC CVETKOVIC");
    /* Macedonian: Ѓ GJ, Ќ KJ, Џ DJ, Ѕ DZ. */
    expect("Ѓорѓе Ќосе Џемаил Ѕвезда", "GORGE KOSE DZEMAIL DZVEZDA",
           "GJORGJE KJOSE DJEMAIL DZVEZDA");
    /* Central Asian letters. */
    expect("Нұрсұлтан Назарбаев", "NURSULTAN NAZARBAEV", NULL);
    expect("Қасым-Жомарт Тоқаев", "KASYM ZHOMART TOKAEV", NULL);
    ck_assert(nn.transliterated);
}
END_TEST

START_TEST(test_greek)
{
    expect("Γιώργος Παπαδόπουλος", "GIORGOS PAPADOPOULOS", NULL);
    ck_assert(nn.transliterated);
    ck_assert_uint_eq(nn.primary.n_tokens, 2);
    expect("ΓΙΩΡΓΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ", "GIORGOS PAPADOPOULOS", NULL);
    expect("Ευάγγελος Βενιζέλος", "EVANGELOS VENIZELOS", NULL);
    expect("Αύγουστος Ευθύμιος", "AVGOUSTOS EFTHYMIOS", NULL);
    expect("Ταΰγετος", "TAYGETOS", NULL); /* diaeresis: no digraph */
    expect("Ξενοφών Ψαράς Χρήστος Θεόδωρος", "XENOFON PSARAS CHRISTOS THEODOROS", NULL);
    expect("Μπακογιάννης", "MPAKOGIANNIS", "BAKOGIANNIS");
    expect("Γκίκας Ντόρα", "GKIKAS NTORA", "GIKAS DORA");
    expect("Ἀλέξανδρος", "ALEXANDROS", NULL); /* polytonic */
}
END_TEST

START_TEST(test_arabic)
{
    /* ICU's Arabic-Latin + Latin-ASCII gives "MHMD ʿLY"; the ayn sign becomes A and the
     * word-final Y after a consonant I. */
    expect("محمد علي", "MHMD ALI", NULL);
    ck_assert(nn.transliterated);
    ck_assert_uint_eq(nn.primary.n_tokens, 2);
    ck_token(&nn.primary, 0, "MHMD", 0);
    ck_token(&nn.primary, 1, "ALI", 0);
    /* ICU: "ASAMT BN LADN"; ta marbuta reads A. */
    expect("أسامة بن لادن", "ASAMA BN LADN", NULL);
    ck_token(&nn.primary, 1, "BN", PS_TOKEN_PARTICLE);
    expect("مُحَمَّد", "MUHAMAD", NULL); /* vocalized */
    expect("عبد الله", "ABD ALLH", NULL);
    expect("موسى عائشة", "MWSA AYSHA", NULL);      /* ICU: MWSY ʿAYSHT */
    expect("ڈاکٹر", "DAKTR", NULL);                /* Urdu; ICU leaves ڈ ٹ as they are */
    expect("علی‌اکبر", "ALI AKBR", NULL); /* Persian, zero-width non-joiner */
}
END_TEST

START_TEST(test_han_hangul_hebrew)
{
    expect("王小明", "WANG XIAO MING", NULL);
    ck_assert(nn.transliterated);
    ck_assert_uint_eq(nn.primary.n_tokens, 3);
    expect("毛泽东", "MAO ZE DONG", NULL);
    /* ICU alone gives GIMJEONG-EUN; Hangul is cut one token per syllable. */
    expect("김정은", "GIM JEONG EUN", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 3);
    expect("박근혜", "BAG GEUN HYE", NULL);
    expect("בנימין נתניהו", "BNYMYN NTNYHW", NULL);
    ck_assert(nn.transliterated);
    expect("יעקב", "YQB", NULL); /* ICU: Y'QB */
}
END_TEST

START_TEST(test_other_scripts)
{
    expect("नरेन्द्र मोदी", "NARENDRA MODI", NULL);
    expect("ヤマダ・タロウ", "YAMADA TAROU", NULL);
    expect("გიორგი", "GIORGI", NULL);
    expect("Արամ", "ARAM", NULL);
    ck_assert(nn.transliterated);
    expect("🙂Ali🙂", "ALI", NULL);
    ck_assert(!nn.transliterated);
}
END_TEST

START_TEST(test_invalid_utf8)
{
    expect("\xff\xfeIVAN\xc0\xafOV", "IVANOV", NULL);
    expect("\xd0\x98\xd0", "I", NULL); /* И and a cut sequence */
    expect("AB\xed\xa0\x80"
           "CD",
           "ABCD", NULL);                               /* an encoded surrogate */
    expect("\xe0\x80\x80X\xf4\x90\x80\x80", "X", NULL); /* overlong, above U+10FFFF */
    expect("\x80\x80\xbf\xfe", "", NULL);
    ck_assert_uint_eq(nn.primary.n_tokens, 0);
}
END_TEST

/* The ASCII fast path gives what the general reader gives: the same input with an invalid byte
 * in front (dropped, but it sends the input down the general path), over random ASCII of every
 * kind of character and of lengths up to past the raw form's capacity. */
START_TEST(test_ascii_fast_path_matches_general)
{
    static const char alphabet[] = "abcdeXYZ  -'`0123,.ALBINVANDEMRSDRJOHN";
    unsigned seed = 12345;
    for (int it = 0; it < 2000; it++) {
        char in[1001];
        seed = seed * 1103515245u + 12345u;
        size_t len = it < 1900 ? (seed >> 16) % 60 : 700 + (seed >> 16) % 300;
        in[0] = '\xff';
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            in[1 + i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        ps_name_norm fast, general;
        ps_name_normalize(in + 1, len, &fast);
        ps_name_normalize(in, len + 1, &general);
        ck_assert_int_eq(fast.truncated, general.truncated);
        ck_assert_int_eq(fast.has_alternate, general.has_alternate);
        const ps_name_form *a[] = {&fast.primary, &fast.alternate};
        const ps_name_form *b[] = {&general.primary, &general.alternate};
        for (int f = 0; f < 2; f++) {
            ck_assert_uint_eq(a[f]->len, b[f]->len);
            ck_assert(memcmp(a[f]->text, b[f]->text, a[f]->len) == 0);
            ck_assert_uint_eq(a[f]->n_tokens, b[f]->n_tokens);
            ck_assert(memcmp(a[f]->flags, b[f]->flags, a[f]->n_tokens) == 0);
        }
    }
}
END_TEST

START_TEST(test_empty)
{
    const char *empties[] = {"", "   ,,, ", "12345", "'''", "-", "\xff", "٣٤"};
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        expect(empties[i], "", NULL);
        ck_assert_uint_eq(nn.primary.len, 0);
        ck_assert_uint_eq(nn.primary.n_tokens, 0);
        ck_assert_uint_eq(nn.alternate.n_tokens, 0);
        ck_assert(!nn.truncated);
        ck_assert(!nn.transliterated);
    }
    memset(&nn, 0xA5, sizeof nn);
    ps_name_normalize(NULL, 0, &nn);
    ck_assert_str_eq(nn.primary.text, "");
    ck_assert_uint_eq(nn.primary.n_tokens, 0);
    ck_assert(!nn.has_alternate);
    norm_n("JOHN\0SMITH", 10);
    ck_assert_str_eq(nn.primary.text, "JOHN SMITH");
}
END_TEST

START_TEST(test_token_limit)
{
    char buf[512];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sTOK%c%c", i ? " " : "", 'A' + i / 26,
                              'A' + i % 26);
    norm_n(buf, n);
    ck_assert_uint_eq(nn.primary.n_tokens, PS_NAME_MAX_TOKENS);
    ck_assert_uint_eq(nn.alternate.n_tokens, PS_NAME_MAX_TOKENS);
    ck_assert(nn.truncated);
    ck_token(&nn.primary, 0, "TOKAA", 0);
    ck_token(&nn.primary, 15, "TOKAP", 0);

    /* Exactly 16 after a title: not truncated. */
    n = (size_t)snprintf(buf, sizeof buf, "MR");
    for (int i = 0; i < 16; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, " N%c", 'A' + i);
    norm_n(buf, n);
    ck_assert_uint_eq(nn.primary.n_tokens, 16);
    ck_token(&nn.primary, 0, "NA", 0);
    ck_assert(!nn.truncated);

    /* 40 Cyrillic tokens. */
    n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sЯ", i ? " " : "");
    norm_n(buf, n);
    ck_assert_uint_eq(nn.primary.n_tokens, 16);
    ck_token(&nn.primary, 15, "IA", 0);
    ck_token(&nn.alternate, 15, "YA", 0);
    ck_assert(nn.truncated);
}
END_TEST

START_TEST(test_byte_limit)
{
    char buf[1001];
    /* One 1,000-letter token: cut to fit. */
    memset(buf, 'a', 1000);
    norm_n(buf, 1000);
    ck_assert_uint_eq(nn.primary.len, PS_NAME_MAX_BYTES - 1);
    ck_assert_uint_eq(nn.primary.n_tokens, 1);
    ck_assert_uint_eq(nn.primary.length[0], PS_NAME_MAX_BYTES - 1);
    ck_assert(nn.truncated);

    /* Tokens of 30 letters: 8 fit (8 * 31 - 1 = 247 bytes), the ninth does not. */
    for (size_t i = 0; i < 1000; i++)
        buf[i] = i % 31 == 30 ? ' ' : (char)('A' + i / 31 % 26);
    norm_n(buf, 1000);
    ck_assert_uint_eq(nn.primary.n_tokens, 8);
    ck_assert_uint_eq(nn.primary.len, 247);
    ck_assert(nn.truncated);

    /* 1,000 bytes of Ж (ZH each). */
    for (size_t i = 0; i < 1000; i += 2)
        memcpy(buf + i, "\xd0\x96", 2);
    norm_n(buf, 1000);
    ck_assert_uint_eq(nn.primary.len, PS_NAME_MAX_BYTES - 1);
    ck_assert(nn.truncated);
    ck_assert(nn.transliterated);

    /* 999 bytes of Han: 333 syllables, 16 tokens. */
    for (size_t i = 0; i < 999; i += 3)
        memcpy(buf + i, "王", 3);
    norm_n(buf, 999);
    ck_assert_uint_eq(nn.primary.n_tokens, 16);
    ck_token(&nn.primary, 15, "WANG", 0);
    ck_assert(nn.truncated);

    /* A long name that fits is not truncated. */
    expect("Pablo Diego José Francisco de Paula Juan Nepomuceno María de los Remedios",
           "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN NEPOMUCENO MARIA DE LOS REMEDIOS", NULL);
    ck_assert(!nn.truncated);
}
END_TEST

/* Each thread gets its own transliterator; results must not depend on the thread. */
static const char *const thread_inputs[][2] = {
    {"王小明", "WANG XIAO MING"},       {"محمد علي", "MHMD ALI"},
    {"김정은", "GIM JEONG EUN"},        {"Юлия Тимошенко", "IULIIA TIMOSHENKO"},
    {"MR JOSÉ MÜLLER", "JOSE MUELLER"},
};

static void *thread_main(void *arg)
{
    (void)arg;
    long bad = 0;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof thread_inputs / sizeof thread_inputs[0]; i++) {
            ps_name_norm r;
            ps_name_normalize(thread_inputs[i][0], strlen(thread_inputs[i][0]), &r);
            if (strcmp(r.primary.text, thread_inputs[i][1]) != 0)
                bad++;
        }
    }
    return (void *)bad;
}

START_TEST(test_threads)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, thread_main, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *bad;
        ck_assert_int_eq(pthread_join(t[i], &bad), 0);
        ck_assert_ptr_null(bad);
    }
    /* Cleanup, then use again: a new transliterator is made. */
    ps_normalize_cleanup();
    expect("王小明", "WANG XIAO MING", NULL);
}
END_TEST

static Suite *name_normalize_suite(void)
{
    Suite *s = suite_create("name_normalize");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_ascii_case_and_punctuation);
    tcase_add_test(tc, test_titles);
    tcase_add_test(tc, test_latin_icao);
    tcase_add_test(tc, test_latin_diacritics_dropped);
    tcase_add_test(tc, test_apostrophes);
    tcase_add_test(tc, test_particles_and_initials);
    tcase_add_test(tc, test_cyrillic_russian);
    tcase_add_test(tc, test_cyrillic_ukrainian);
    tcase_add_test(tc, test_cyrillic_other_languages);
    tcase_add_test(tc, test_greek);
    tcase_add_test(tc, test_arabic);
    tcase_add_test(tc, test_han_hangul_hebrew);
    tcase_add_test(tc, test_other_scripts);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_ascii_fast_path_matches_general);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_token_limit);
    tcase_add_test(tc, test_byte_limit);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(name_normalize_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    ps_normalize_cleanup();
    u_cleanup();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
