/* tools/cmd_parse.c — `paxscreen parse`: being written in this session. */
#include "cli.h"
#include <stdio.h>
int ps_cmd_parse(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("paxscreen parse: not built yet\n", stderr);
    return 2;
}
