/* tools/paxscreen.c — the paxscreen command: dispatches to one subcommand per file
 * (tools/cmd_*.c). Exit status: 0 success, 1 bad input, 2 usage error. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("usage: paxscreen COMMAND [options]\n"
          "\n"
          "commands:\n"
          "  parse [--summary] FILE   print what a PAXLST/EDIFACT or JSON file holds as JSON\n"
          "                           (--summary: one object of counts)\n"
          "  help                     this text\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "parse") == 0)
        return ps_cmd_parse(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "paxscreen: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
