/*
 * The C client of the benchmark's many-connection rows, in its own process, one thread, epoll.
 *   load_client echo PORT CONNS BYTES WARM
 *     WARM connections first (all of them done and closed), then CONNS connections at once:
 *     each sends BYTES bytes (its own pattern) and reads them back, checking every byte; every
 *     connection stays open until all are echoed, then all close. At most 128 connections wait
 *     for their first echo byte at a time, so the server's accept queue (backlog 511) never
 *     overflows and no SYN waits a second for its retransmission.
 *   load_client close PORT COUNT WARM INFLIGHT
 *     WARM + COUNT connections, INFLIGHT at a time: each connects, waits for the server to close
 *     (recv gives 0) and closes.
 * Prints `{"connections":N,"bytes":B,"seconds":S}` (bytes checked, time of the measured part).
 * Exit status 1 when a connection fails or an echo is short or wrong.
 * Linux only (epoll).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static struct sockaddr_in server;
static int ep;

struct conn { int fd; long sent, got; };

/* A non-blocking connect to the server, watched as `ev` says (its data the fd when it has none). */
static int open_conn(struct epoll_event ev) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  if (connect(fd, (void *)&server, sizeof server) && errno != EINPROGRESS) die("connect");
  if (!ev.data.ptr) ev.data.fd = fd;
  if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) die("epoll_ctl");
  return fd;
}

static unsigned char pattern(long conn, long k) { return (unsigned char)(conn * 31 + k * 7 + (k >> 8)); }

/* n connections echoing `bytes` each, at most 128 waiting for their first echo byte. */
static long echo_phase(long n, long bytes, long base) {
  struct conn *cs = calloc(n, sizeof *cs);
  static unsigned char buf[65536];
  long opened = 0, waiting = 0, done = 0, checked = 0;
  struct epoll_event evs[256];
  while (done < n) {
    while (opened < n && waiting < 128) {
      struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = &cs[opened] };
      cs[opened].fd = open_conn(ev);
      opened++, waiting++;
    }
    int m = epoll_wait(ep, evs, 256, 30000);
    if (m < 0 && errno == EINTR) continue;
    if (m <= 0) { fprintf(stderr, "load_client: no progress in 30 s (%ld of %ld done)\n", done, n); exit(1); }
    for (int i = 0; i < m; i++) {
      struct conn *c = evs[i].data.ptr;
      long id = base + (c - cs);
      if (evs[i].events & (EPOLLERR | EPOLLHUP) && !(evs[i].events & EPOLLIN)) {
        int err = 0;
        socklen_t el = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        errno = err;
        die("load_client connection");
      }
      if (evs[i].events & EPOLLOUT && c->sent < bytes) {
        long chunk = bytes - c->sent < (long)sizeof buf ? bytes - c->sent : (long)sizeof buf;
        for (long k = 0; k < chunk; k++) buf[k] = pattern(id, c->sent + k);
        ssize_t r = send(c->fd, buf, chunk, MSG_NOSIGNAL);
        if (r < 0 && errno != EAGAIN) die("send");
        if (r > 0) c->sent += r;
        if (c->sent == bytes) {
          struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
          epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        }
      }
      if (evs[i].events & EPOLLIN) {
        ssize_t r = recv(c->fd, buf, sizeof buf, 0);
        if (r < 0 && errno == EAGAIN) continue;
        if (r < 0) die("recv");
        if (r == 0 || c->got + r > bytes) {
          fprintf(stderr, "load_client: connection %ld got %ld of %ld bytes back\n", id, c->got + r, bytes);
          exit(1);
        }
        for (long k = 0; k < r; k++) {
          if (buf[k] != pattern(id, c->got + k)) {
            fprintf(stderr, "load_client: connection %ld byte %ld came back different\n", id, c->got + k);
            exit(1);
          }
        }
        if (c->got == 0) waiting--;
        c->got += r;
        checked += r;
        if (c->got == bytes) {
          epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
          done++;
        }
      }
    }
  }
  for (long i = 0; i < n; i++) close(cs[i].fd);
  free(cs);
  return checked;
}

/* total connections, `inflight` at a time, each waiting for the server's close. */
static void close_phase(long total, long warm, long inflight, double *t) {
  long opened = 0, done = 0;
  struct epoll_event evs[256];
  char b[16];
  while (done < total) {
    while (opened < total && opened - done < inflight) {
      if (opened == warm) *t = now();
      open_conn((struct epoll_event){ .events = EPOLLIN | EPOLLRDHUP });
      opened++;
    }
    int m = epoll_wait(ep, evs, 256, 30000);
    if (m < 0 && errno == EINTR) continue;
    if (m <= 0) { fprintf(stderr, "load_client: no progress in 30 s (%ld of %ld done)\n", done, total); exit(1); }
    for (int i = 0; i < m; i++) {
      int fd = evs[i].data.fd;
      ssize_t r = recv(fd, b, sizeof b, 0);
      if (r < 0 && errno == EAGAIN) continue;
      if (r < 0) die("load_client recv");
      if (r > 0) { fprintf(stderr, "load_client: the server sent data\n"); exit(1); }
      close(fd);
      done++;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: load_client echo PORT CONNS BYTES WARM | close PORT COUNT WARM INFLIGHT\n");
    return 2;
  }
  server = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  if (!strcmp(argv[1], "echo")) {
    long n = atol(argv[3]), bytes = atol(argv[4]), warm = atol(argv[5]);
    if (warm) echo_phase(warm, bytes, 1000000);
    double t = now();
    long checked = echo_phase(n, bytes, 0);
    printf("{\"connections\":%ld,\"bytes\":%ld,\"seconds\":%f}\n", n, checked, now() - t);
  } else if (!strcmp(argv[1], "close")) {
    long count = atol(argv[3]), warm = atol(argv[4]), inflight = atol(argv[5]);
    double t = now();
    close_phase(warm + count, warm, inflight, &t);
    printf("{\"connections\":%ld,\"bytes\":0,\"seconds\":%f}\n", count, now() - t);
  } else {
    return 2;
  }
  return 0;
}
