/*
 * The C client of the benchmark's server ping-pong row, in its own process: blocking calls.
 *   pingpong_client PORT ROUNDS SIZE [WARM]
 * Connects to 127.0.0.1:PORT with TCP_NODELAY, makes WARM + ROUNDS round trips of SIZE bytes
 * (each message different), checks every echo byte for byte, closes, and prints
 * `{"rounds":R,"bytes":B,"seconds":S}` for the ROUNDS after the warm-up. Exit status 1 on a
 * short or wrong echo.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static void full(int fd, char *buf, size_t n, int reading) {
  size_t off = 0;
  while (off < n) {
    ssize_t r = reading ? recv(fd, buf + off, n - off, 0) : send(fd, buf + off, n - off, MSG_NOSIGNAL);
    if (r == 0) { fprintf(stderr, "pingpong_client: the server closed after %zu of %zu bytes\n", off, n); exit(1); }
    if (r < 0) die(reading ? "recv" : "send");
    off += r;
  }
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: pingpong_client PORT ROUNDS SIZE [WARM]\n"); return 2; }
  int port = atoi(argv[1]);
  long rounds = atol(argv[2]), warm = argc > 4 ? atol(argv[4]) : 0;
  size_t size = atol(argv[3]);
  char *out = malloc(size), *back = malloc(size);
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
  if (fd < 0 || connect(fd, (void *)&a, sizeof a)) die("connect");
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  double t = 0;
  for (long i = 0; i < warm + rounds; i++) {
    if (i == warm) t = now();
    for (size_t k = 0; k < size; k++) out[k] = (char)(i + k);
    full(fd, out, size, 0);
    full(fd, back, size, 1);
    if (memcmp(out, back, size)) { fprintf(stderr, "pingpong_client: round %ld came back different\n", i); return 1; }
  }
  double s = now() - t;
  close(fd);
  printf("{\"rounds\":%ld,\"bytes\":%ld,\"seconds\":%f}\n", rounds, (long)((warm + rounds) * size), s);
  return 0;
}
