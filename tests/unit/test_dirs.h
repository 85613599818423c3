/* tests/unit/test_dirs.h — the one helper the Check tests that make temporary store
 * directories share: removing such a directory and everything in it. */
#ifndef PAXSCREEN_TEST_DIRS_H
#define PAXSCREEN_TEST_DIRS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Removes dir, its files and its subdirectories (what a test made; errors are ignored). */
static inline void test_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[512];
        int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (n < 0 || (size_t)n >= sizeof path)
            continue; /* not a path a test makes */
        if (unlink(path) != 0)
            test_remove_dir(path);
    }
    closedir(d);
    rmdir(dir);
}

#endif
