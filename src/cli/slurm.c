/*
 * slurm.c - reprint slurm: scan as stages over shards (being written).
 */
#include "cli.h"

int cmd_slurm(cli *cl, int argc, char **argv)
{
	(void)cl;
	(void)argc;
	(void)argv;
	return usage_error("slurm: not built yet");
}
