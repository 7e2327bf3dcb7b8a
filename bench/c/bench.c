/*
 * The C peer of the benchmark: the same work as the TypeScript rows, with
 * blocking calls and no event loop, in one thread.
 *   bench pingpong ROUNDS SIZE   → round trips over TCP loopback
 *   bench bulk BYTES CHUNK       → MiB over TCP loopback (a writer thread)
 *   bench create COUNT           → socket()+close() pairs
 * and the C rows of the peer rows, each with its peer in another process:
 *   bench client PORT ROUNDS SIZE WARM → round trips as a client of the C echo server (blocking)
 *   bench server ROUNDS SIZE WARM      → round trips as the server of the C client (blocking)
 *   bench conns CONNS BYTES WARM       → connections echoed, all at once (epoll, one thread)
 *   bench accept COUNT WARM            → connections accepted and closed (blocking accept4)
 * (a server prints `{"port":N}` once it listens on 127.0.0.1; its clock starts as the TypeScript
 * rows' do: after the warm-up's bytes, or at the first accept after the warm-up's connections).
 * Each prints `{"ops":N,"seconds":S,"cpuUs":C}`: the operations, their wall time and the
 * process's CPU time (user + system, getrusage) over the same span, as every row reports.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void report(double ops, double t, double cpu) {
  printf("{\"ops\":%f,\"seconds\":%f,\"cpuUs\":%f}\n", ops, now() - t, cpu_us() - cpu);
}

static void report_checked(double ops, double t, double cpu, long long checked) {
  printf("{\"ops\":%f,\"seconds\":%f,\"cpuUs\":%f,\"checked\":%lld}\n", ops, now() - t, cpu_us() - cpu, checked);
}

/* A listener on 127.0.0.1 (backlog 511, as Deno.listen's), its port announced on stdout. */
static int announce(void) {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (l < 0 || bind(l, (void *)&a, sizeof a) || listen(l, 511) || getsockname(l, (void *)&a, &len)) die("listen");
  printf("{\"port\":%d}\n", ntohs(a.sin_port));
  fflush(stdout);
  return l;
}

static void pair(int *client, int *server) {
  int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  socklen_t len = sizeof a;
  if (l < 0 || bind(l, (void *)&a, sizeof a) || listen(l, 1) || getsockname(l, (void *)&a, &len)) die("listen");
  *client = socket(AF_INET, SOCK_STREAM, 0);
  if (connect(*client, (void *)&a, sizeof a)) die("connect");
  *server = accept(l, NULL, NULL);
  if (*server < 0) die("accept");
  setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  close(l);
}

static void full(int fd, char *buf, size_t n, int reading);

/* Echoes `warm` + `conns` connections at once, each until its peer ends it (epoll, nonblocking). */
static void conns(long conns, long bytes, long warm) {
  int l = announce(), ep = epoll_create1(EPOLL_CLOEXEC);
  fcntl(l, F_SETFL, O_NONBLOCK);
  long total = warm + conns, accepted = 0, closed = 0;
  /* Bytes echoed per descriptor, and whether it counts (the warm-up's do not, but are checked). */
  long *got = calloc(65536, sizeof *got);
  char *counted = calloc(65536, 1);
  long long echoed = 0;
  static char buf[65536];
  double t = now(), cpu = cpu_us();
  struct epoll_event ev = { .events = EPOLLIN, .data.fd = l }, evs[256];
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev)) die("epoll");
  while (closed < total) {
    int m = epoll_wait(ep, evs, 256, 30000);
    if (m < 0 && errno == EINTR) continue;
    if (m <= 0) die("epoll_wait");
    for (int i = 0; i < m; i++) {
      int fd = evs[i].data.fd;
      if (fd == l) {
        int c;
        while (accepted < total && (c = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          if (c >= 65536) die("descriptor");
          if (++accepted == warm + 1) t = now(), cpu = cpu_us();
          got[c] = 0;
          counted[c] = accepted > warm;
          struct epoll_event cev = { .events = EPOLLIN, .data.fd = c };
          if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev)) die("epoll_ctl");
        }
        continue;
      }
      for (;;) {
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r < 0 && errno == EAGAIN) break;
        if (r < 0) die("recv");
        if (r == 0) {
          if (got[fd] != bytes) { fprintf(stderr, "bench conns: %ld bytes, expected %ld\n", got[fd], bytes); exit(1); }
          close(fd);
          closed++;
          break;
        }
        /* The echo may fill the send buffer: wait for room, as the TypeScript rows' sendAll does. */
        for (ssize_t off = 0; off < r;) {
          ssize_t w = send(fd, buf + off, r - off, MSG_NOSIGNAL);
          if (w < 0 && errno == EAGAIN) {
            struct pollfd out = { .fd = fd, .events = POLLOUT };
            poll(&out, 1, 30000);
            continue;
          }
          if (w < 0) die("send");
          off += w;
        }
        got[fd] += r;
        if (counted[fd]) echoed += r;
      }
    }
  }
  report_checked(conns, t, cpu, echoed);
}

static void full(int fd, char *buf, size_t n, int reading) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = reading ? recv(fd, buf + off, n - off, 0) : send(fd, buf + off, n - off, MSG_NOSIGNAL);
    if (r <= 0) die(reading ? "recv" : "send");
    off += r;
  }
}

struct bulk { int fd; long long bytes; size_t chunk; };

static void *writer(void *p) {
  struct bulk *b = p;
  char *buf = calloc(1, b->chunk);
  for (long long left = b->bytes; left > 0; left -= b->chunk) full(b->fd, buf, left < (long long)b->chunk ? left : b->chunk, 0);
  shutdown(b->fd, SHUT_WR);
  free(buf);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  if (!strcmp(argv[1], "pingpong")) {
    long rounds = atol(argv[2]);
    size_t size = argc > 3 ? atol(argv[3]) : 64;
    int c, s;
    char buf[65536];
    pair(&c, &s);
    double t = now(), cpu = cpu_us();
    for (long i = 0; i < rounds; i++) {
      full(c, buf, size, 0);
      full(s, buf, size, 1);
      full(s, buf, size, 0);
      full(c, buf, size, 1);
    }
    report(rounds, t, cpu);
  } else if (!strcmp(argv[1], "bulk")) {
    struct bulk b = { 0, atoll(argv[2]), argc > 3 ? atol(argv[3]) : 65536 };
    int c, s;
    pair(&c, &s);
    b.fd = c;
    char *buf = malloc(b.chunk);
    double t = now(), cpu = cpu_us();
    pthread_t th;
    pthread_create(&th, NULL, writer, &b);
    long long got = 0;
    for (;;) {
      ssize_t r = recv(s, buf, b.chunk, 0);
      if (r < 0) die("recv");
      if (r == 0) break;
      got += r;
    }
    pthread_join(th, NULL);
    if (got != b.bytes) { fprintf(stderr, "short: %lld\n", got); return 1; }
    report(got / 1048576.0, t, cpu);
  } else if (!strcmp(argv[1], "client") && argc > 5) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    long rounds = atol(argv[3]), warm = atol(argv[5]);
    size_t size = atol(argv[4]);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    char *out = malloc(size), *back = malloc(size);
    if (fd < 0 || connect(fd, (void *)&a, sizeof a)) die("connect");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    double t = now(), cpu = cpu_us();
    for (long i = 0; i < warm + rounds; i++) {
      if (i == warm) t = now(), cpu = cpu_us();
      for (size_t k = 0; k < size; k++) out[k] = (char)(i + k);
      full(fd, out, size, 0);
      full(fd, back, size, 1);
      if (memcmp(out, back, size)) { fprintf(stderr, "bench client: round %ld came back different\n", i); return 1; }
    }
    report_checked(rounds, t, cpu, (long long)rounds * size);
  } else if (!strcmp(argv[1], "server") && argc > 4) {
    long rounds = atol(argv[2]), warm = atol(argv[4]);
    size_t size = atol(argv[3]);
    int l = announce(), one = 1;
    int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0) die("accept");
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[65536];
    long long echoed = 0, warm_bytes = (long long)warm * size;
    double t = now(), cpu = cpu_us();
    for (;;) {
      ssize_t r = recv(c, buf, sizeof buf, 0);
      if (r < 0) die("recv");
      if (r == 0) break;
      full(c, buf, r, 0);
      if (echoed < warm_bytes && echoed + r >= warm_bytes) t = now(), cpu = cpu_us();
      echoed += r;
    }
    if (echoed != warm_bytes + (long long)rounds * size) { fprintf(stderr, "bench server: echoed %lld bytes\n", echoed); return 1; }
    report_checked(rounds, t, cpu, echoed - warm_bytes);
  } else if (!strcmp(argv[1], "conns") && argc > 4) {
    conns(atol(argv[2]), atol(argv[3]), atol(argv[4]));
  } else if (!strcmp(argv[1], "accept") && argc > 3) {
    long count = atol(argv[2]), warm = atol(argv[3]);
    int l = announce();
    double t = now(), cpu = cpu_us();
    for (long i = 0; i < warm + count; i++) {
      int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
      if (c < 0) die("accept");
      if (i == warm) t = now(), cpu = cpu_us();
      close(c);
    }
    report(count, t, cpu);
  } else if (!strcmp(argv[1], "create")) {
    long count = atol(argv[2]);
    double t = now(), cpu = cpu_us();
    for (long i = 0; i < count; i++) {
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) die("socket");
      close(fd);
    }
    report(count, t, cpu);
  }
  return 0;
}
