/*
 * The C peer of the benchmark: the same work as the TypeScript rows, with
 * blocking calls and no event loop, in one thread.
 *   bench pingpong ROUNDS SIZE   → round trips over TCP loopback
 *   bench bulk BYTES CHUNK       → MiB over TCP loopback (a writer thread)
 *   bench create COUNT           → socket()+close() pairs
 * Each prints `{"ops":N,"seconds":S,"cpuUs":C}`: the operations, their wall time and the
 * process's CPU time (user + system, getrusage) over the same span, as every row reports.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The process's CPU time so far, user + system, in µs. */
static double cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void report(double ops, double t, double cpu) {
  printf("{\"ops\":%f,\"seconds\":%f,\"cpuUs\":%f}\n", ops, now() - t, cpu_us() - cpu);
}

static void die(const char *what) { perror(what); exit(1); }

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
