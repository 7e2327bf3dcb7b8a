/*
 * The C peer of the benchmark: the same work as the TypeScript rows, with
 * blocking calls and no event loop, in one thread.
 *   bench pingpong ROUNDS SIZE   → round trips per second over TCP loopback
 *   bench bulk BYTES CHUNK       → bytes per second over TCP loopback (a writer thread)
 *   bench create COUNT           → socket()+close() pairs per second
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
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
    double t = now();
    for (long i = 0; i < rounds; i++) {
      full(c, buf, size, 0);
      full(s, buf, size, 1);
      full(s, buf, size, 0);
      full(c, buf, size, 1);
    }
    printf("%f\n", rounds / (now() - t));
  } else if (!strcmp(argv[1], "bulk")) {
    struct bulk b = { 0, atoll(argv[2]), argc > 3 ? atol(argv[3]) : 65536 };
    int c, s;
    pair(&c, &s);
    b.fd = c;
    char *buf = malloc(b.chunk);
    double t = now();
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
    printf("%f\n", got / (now() - t));
  } else if (!strcmp(argv[1], "create")) {
    long count = atol(argv[2]);
    double t = now();
    for (long i = 0; i < count; i++) {
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0) die("socket");
      close(fd);
    }
    printf("%f\n", count / (now() - t));
  }
  return 0;
}
