/* tools/paxscreen.c — the paxscreen command: dispatches to one subcommand per file
 * (tools/cmd_*.c). Exit status: 0 success, 1 bad input, 2 usage error, 3 store error. */
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
          "  lists import --db DIR [--checkpoint LINES] FILE.jsonl\n"
          "                           load or update watchlist entries (upsert by list + id;\n"
          "                           FILE may be - for stdin); prints a JSON summary. Exit 1\n"
          "                           when some lines failed (the rest landed), 3 on a store\n"
          "                           error\n"
          "  lists show --db DIR      the lists with their action, threshold, version, entries\n"
          "  lists set --db DIR LIST [--action no_board|refer|notify] [--threshold 0..1]\n"
          "                           a list's default action and person-hit threshold\n"
          "  screen --db DIR [--threads N] [--stats] FILE\n"
          "                           screen a PAXLST/EDIFACT file, JSON batch or JSON Lines\n"
          "                           of travellers (names, documents, patterns); hits as\n"
          "                           JSON Lines on stdout\n"
          "  rules put --db DIR FILE.jsonl\n"
          "                           add or replace targeting rules (upsert by id; FILE may\n"
          "                           be - for stdin); bad lines are reported and skipped (exit\n"
          "                           1), the rest land; prints a JSON summary\n"
          "  rules list --db DIR      the targeting rules as a JSON array\n"
          "  rules delete --db DIR ID remove a targeting rule (exit 1 when there is none)\n"
          "  rules screen --db DIR [--now YYYY-MM-DDTHH:MM] FILE\n"
          "                           screen a JSON batch or JSON Lines of travellers with the\n"
          "                           targeting rules alone; hits as JSON Lines on stdout\n"
          "  hits list --data DIR [--status S] [--list L] [--action A] [--kind K] [--batch ID]\n"
          "            [--min-score X] [--from T] [--to T] [--since CURSOR] [--limit N]\n"
          "                           paxscreend's stored hits (DIR: its --data) that pass\n"
          "                           the filters, with their status, as JSON Lines\n"
          "  hits show --data DIR [--by NAME] CURSOR|HIT_ID\n"
          "                           one hit with its status and decisions (audited)\n"
          "  hits decide --data DIR CURSOR --decision true_match|false_positive|escalated\n"
          "            [--note TEXT] --by NAME\n"
          "                           record a decision on a hit (audited)\n"
          "  report --data DIR [--from DAY] [--to DAY] [--by DIM] [--csv]\n"
          "                           border statistics of paxscreend's data directory:\n"
          "                           travellers by day, month, route, carrier, nationality,\n"
          "                           age_band, gender or role, hits by list\n"
          "  purge --data DIR --days N [--by NAME]\n"
          "                           remove traveller data (batch bodies and hits) older\n"
          "                           than N days from paxscreend's data directory (audited)\n"
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
    if (strcmp(cmd, "lists") == 0)
        return ps_cmd_lists(argc - 1, argv + 1);
    if (strcmp(cmd, "screen") == 0)
        return ps_cmd_screen(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return ps_cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "hits") == 0)
        return ps_cmd_hits(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return ps_cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "purge") == 0)
        return ps_cmd_purge(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "paxscreen: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
