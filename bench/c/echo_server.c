/*
 * The C server of the benchmark's client rows, in its own process, one thread, epoll.
 *   echo_server [--delay-us N] [--close]
 * Listens on 127.0.0.1 on a port the kernel picks (backlog 511), prints the port on stdout as
 * one line, then serves until its stdin ends (the parent is gone) or a signal ends it:
 *   by default it echoes what each connection sends, with TCP_NODELAY, waiting N µs before each
 *   reply when --delay-us asks for it (the slow peer);
 *   with --close it closes each connection as soon as it has accepted it.
 * Linux only (epoll).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* Sends all of buf, waiting in poll(2) when the socket buffer is full; -1 when the peer is gone. */
static int send_all(int fd, const char *buf, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = send(fd, buf + off, n - off, MSG_NOSIGNAL);
    if (r > 0) { off += r; continue; }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) {
      struct pollfd p = { .fd = fd, .events = POLLOUT };
      poll(&p, 1, -1);
      continue;
    }
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  long delay_us = 0;
  int close_mode = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--delay-us") && i + 1 < argc) delay_us = atol(argv[++i]);
    else if (!strcmp(argv[i], "--close")) close_mode = 1;
    else { fprintf(stderr, "usage: echo_server [--delay-us N] [--close]\n"); return 2; }
  }
  int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  if (l < 0) die("socket");
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(l, (void *)&a, sizeof a) || listen(l, 511) || getsockname(l, (void *)&a, &len)) die("listen");
  printf("%d\n", ntohs(a.sin_port));
  fflush(stdout);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = l };
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev)) die("epoll");
  ev.data.fd = 0;
  /* A stdin that cannot be watched (a file, /dev/null) leaves the ending to a signal. */
  if (epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev) && errno != EPERM) die("epoll stdin");
  struct timespec delay = { delay_us / 1000000, (delay_us % 1000000) * 1000 };
  static char buf[65536];
  struct epoll_event evs[64];
  for (;;) {
    int n = epoll_wait(ep, evs, 64, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("epoll_wait");
    for (int i = 0; i < n; i++) {
      int fd = evs[i].data.fd;
      if (fd == 0) {
        if (read(0, buf, sizeof buf) <= 0) return 0;
      } else if (fd == l) {
        for (;;) {
          int c = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) {
            if (errno == EAGAIN || errno == ECONNABORTED || errno == EINTR) break;
            die("accept4");
          }
          if (close_mode) { close(c); continue; }
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event ce = { .events = EPOLLIN, .data.fd = c };
          if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce)) die("epoll_ctl");
        }
      } else {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r > 0 && delay_us) nanosleep(&delay, NULL);
        if (r <= 0 || send_all(fd, buf, r)) close(fd);
      }
    }
  }
}
