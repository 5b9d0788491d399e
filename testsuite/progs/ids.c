/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prints the ids it runs with, for the -u and set-id tests (user.test):
 *     uid REAL EFFECTIVE SAVED
 *     gid REAL EFFECTIVE SAVED
 *     groups G1 G2 ...        (supplementary groups, sorted numerically)
 */
#define _GNU_SOURCE /* getresuid, getresgid */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	gid_t x = *(const gid_t *)a, y = *(const gid_t *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	gid_t *groups;
	int n;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 1;
	n = getgroups(0, NULL);
	if (n < 0)
		return 1;
	groups = calloc((size_t)n + 1, sizeof(*groups));
	if (groups == NULL || getgroups(n, groups) != n)
		return 1;
	qsort(groups, (size_t)n, sizeof(*groups), cmp);
	printf("uid %u %u %u\n", (unsigned)ru, (unsigned)eu, (unsigned)su);
	printf("gid %u %u %u\n", (unsigned)rg, (unsigned)eg, (unsigned)sg);
	printf("groups");
	for (int i = 0; i < n; i++)
		printf(" %u", (unsigned)groups[i]);
	printf("\n");
	free(groups);
	return 0;
}
