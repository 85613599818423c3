/* tools/cli.h — what the paxscreen subcommands share: entry points and file loading. */
#ifndef PAXSCREEN_TOOLS_CLI_H
#define PAXSCREEN_TOOLS_CLI_H

#include <stddef.h>

int ps_cmd_parse(int argc, char **argv);
int ps_cmd_lists(int argc, char **argv);  /* lists import | show | set (cmd_lists.c) */
int ps_cmd_screen(int argc, char **argv); /* screen --db DIR FILE (cmd_screen.c) */
int ps_cmd_rules(int argc, char **argv);  /* rules put | list | delete | screen (cmd_rules.c) */
int ps_cmd_hits(int argc, char **argv);   /* hits list | show | decide (cmd_hits.c) */
int ps_cmd_report(int argc, char **argv); /* border statistics (cmd_report.c) */
int ps_cmd_purge(int argc, char **argv);  /* retention purge (cmd_purge.c) */

/* A whole input file, memory-mapped (or read, for pipes). */
typedef struct ps_input {
    const char *data;
    size_t len;
    void *map;   /* mmap base, or NULL */
    char *owned; /* malloc'd copy, or NULL */
} ps_input;

/* Loads path ("-" = stdin). On failure prints nothing and returns the errno value. */
int ps_input_open(ps_input *in, const char *path);
void ps_input_close(ps_input *in);

struct ps_diag;
/* One line on stderr for a finding about an input: "paxscreen CMD: PATH: segment N, FIELD,
 * byte B: MESSAGE (KIND)", warnings marked as such. */
void ps_cli_print_diag(const char *cmd, const char *path, const struct ps_diag *d);

#endif
