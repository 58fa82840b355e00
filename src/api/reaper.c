/* reaper.c - closes file descriptors on background threads, so the freeing of replaced pycs
   overlaps the compiling instead of stalling the writer. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "api.h"

/* Why: rename(tmp, pyc) over an old pyc frees the old file's blocks inside the rename, and a
   file system mounted with `discard` waits there for the device (1-3 ms a file, more than
   compiling it). The writer opens the old pyc first and hands the descriptor here: the
   blocks are freed when it is closed, by a thread that only waits; several waiting at once
   let the device merge their discards. */
enum { REAPER_QUEUE = 256, REAPER_THREADS_MAX = 8 };

struct Reaper {
    pthread_mutex_t lock;
    pthread_cond_t more;        /* a descriptor was queued, or the reaper is finishing */
    int fds[REAPER_QUEUE];      /* a ring: head is the oldest */
    int head, count;
    int idle;                   /* threads waiting for more */
    bool finishing;
    int nthreads, started;
    pthread_t tid[REAPER_THREADS_MAX];
};

Reaper *reaper_new(int nthreads)
{
    Reaper *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->more, NULL);
    r->nthreads = nthreads < 1 ? 1 : nthreads > REAPER_THREADS_MAX ? REAPER_THREADS_MAX : nthreads;
    return r;
}

static void *reap(void *arg)
{
    Reaper *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->count && !r->finishing) {
            r->idle++;
            pthread_cond_wait(&r->more, &r->lock);
            r->idle--;
        }
        if (!r->count) break;
        int fd = r->fds[r->head];
        r->head = (r->head + 1) % REAPER_QUEUE;
        r->count--;
        pthread_mutex_unlock(&r->lock);
        close(fd);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

void reaper_close(Reaper *r, int fd)
{
    if (fd < 0) return;
    if (r) {
        pthread_mutex_lock(&r->lock);
        /* the threads start with the first descriptor: runs that replace nothing have none */
        while (r->started < r->nthreads)
            if (pthread_create(&r->tid[r->started], NULL, reap, r) == 0) r->started++;
            else r->nthreads = r->started;
        bool queued = r->started && r->count < REAPER_QUEUE;
        if (queued) {
            r->fds[(r->head + r->count) % REAPER_QUEUE] = fd;
            r->count++;
            /* a wake-up costs the writer a system call: busy threads take more without one,
               so wake one when all sleep or a few wait to be closed */
            if (r->idle && (r->idle == r->started || r->count >= 4)) pthread_cond_signal(&r->more);
        }
        pthread_mutex_unlock(&r->lock);
        if (queued) return;
    }
    close(fd);   /* no reaper, no thread, or a full queue: the caller waits, as without one */
}

void reaper_finish(Reaper *r)
{
    if (!r) return;
    pthread_mutex_lock(&r->lock);
    r->finishing = true;
    pthread_cond_broadcast(&r->more);
    pthread_mutex_unlock(&r->lock);
    for (int k = 0; k < r->started; k++) pthread_join(r->tid[k], NULL);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->more);
    free(r);
}
