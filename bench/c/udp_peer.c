/*
 * The C peers of the datagram benchmark (bench/datagram.ts): UDP over 127.0.0.1,
 * blocking calls, one thread, no event loop. Datagrams carry 64 bytes; a 1-byte
 * datagram is the end marker.
 *
 *   udp_peer sink                       binds, prints {"port":P}; counts the 64-byte
 *                                       datagrams that arrive until a marker (or 5 s
 *                                       of silence), then prints {"arrived":N}
 *   udp_peer send PORT COUNT BATCH      sends COUNT datagrams to PORT, with sendto
 *                                       (BATCH 1) or sendmmsg of BATCH; prints
 *                                       {"sent":N,"seconds":S,"cpuUs":C}
 *   udp_peer source PORT                sendmmsg of 64 datagrams to PORT, again and
 *                                       again, until killed
 *   udp_peer recv WARM COUNT BATCH      binds, prints {"port":P}; receives WARM
 *                                       datagrams, then COUNT more (recvfrom for
 *                                       BATCH 1, else recvmmsg of BATCH) and prints
 *                                       {"received":COUNT,"seconds":S,"cpuUs":C,
 *                                       "drops":D} for those, D the datagrams the
 *                                       socket dropped (a full queue) since it was made
 * C is the process's CPU time (user + system) over the timed span, in µs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sock_diag.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define SIZE 64
#define MAXBATCH 1024

static int bound(struct sockaddr_in *a, int rcvbuf) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  }
  memset(a, 0, sizeof *a);
  a->sin_family = AF_INET;
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof *a;
  if (bind(fd, (void *)a, sizeof *a) || getsockname(fd, (void *)a, &len)) die("bind");
  printf("{\"port\":%d}\n", ntohs(a->sin_port));
  fflush(stdout);
  return fd;
}

static struct mmsghdr msgs[MAXBATCH];
static struct iovec iovs[MAXBATCH];
static char bufs[MAXBATCH][2048];

static int sink(void) {
  struct sockaddr_in a;
  int fd = bound(&a, 64 << 20);
  struct timeval tv = { .tv_sec = 5 };
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (int i = 0; i < 64; i++) {
    iovs[i] = (struct iovec){ bufs[i], sizeof bufs[i] };
    msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iovs[i], .msg_iovlen = 1 };
  }
  long arrived = 0;
  for (;;) {
    int n = recvmmsg(fd, msgs, 64, MSG_WAITFORONE, NULL);
    if (n < 0) {
      if (errno == EINTR) continue;
      break; /* EAGAIN: silence for 5 s */
    }
    for (int i = 0; i < n; i++) {
      if (msgs[i].msg_len == 1) goto done;
      if (msgs[i].msg_len == SIZE) arrived++;
    }
  }
done:
  printf("{\"arrived\":%ld}\n", arrived);
  return 0;
}

static void prepare(struct sockaddr_in *to, int batch) {
  static char payload[SIZE];
  memset(payload, 'x', sizeof payload);
  for (int i = 0; i < batch; i++) {
    iovs[i] = (struct iovec){ payload, SIZE };
    msgs[i].msg_hdr = (struct msghdr){
      .msg_name = to, .msg_namelen = sizeof *to, .msg_iov = &iovs[i], .msg_iovlen = 1 };
  }
}

static long send_some(int fd, struct sockaddr_in *to, int batch, long left) {
  if (batch == 1) {
    ssize_t r = sendto(fd, iovs[0].iov_base, SIZE, 0, (void *)to, sizeof *to);
    return r < 0 ? (errno == EINTR || errno == EAGAIN || errno == ENOBUFS ? 0 : -1) : 1;
  }
  int n = sendmmsg(fd, msgs, left < batch ? left : batch, 0);
  return n < 0 ? (errno == EINTR || errno == EAGAIN || errno == ENOBUFS ? 0 : -1) : n;
}

static int target(struct sockaddr_in *to, const char *port) {
  memset(to, 0, sizeof *to);
  to->sin_family = AF_INET;
  to->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to->sin_port = htons(atoi(port));
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die("socket");
  return fd;
}

static int sender(const char *port, long count, int batch) {
  struct sockaddr_in to;
  int fd = target(&to, port);
  prepare(&to, batch);
  double t = now(), cpu = cpu_us();
  long sent = 0;
  while (sent < count) {
    long n = send_some(fd, &to, batch, count - sent);
    if (n < 0) die("send");
    sent += n;
  }
  printf("{\"sent\":%ld,\"seconds\":%f,\"cpuUs\":%f}\n", sent, now() - t, cpu_us() - cpu);
  return 0;
}

static _Noreturn void source(const char *port) {
  struct sockaddr_in to;
  int fd = target(&to, port);
  prepare(&to, 64);
  for (;;) {
    if (send_some(fd, &to, 64, 64) < 0) die("sendmmsg");
  }
}

static int receiver(long warm, long count, int batch) {
  struct sockaddr_in a;
  int fd = bound(&a, 0);
  for (int i = 0; i < batch; i++) {
    iovs[i] = (struct iovec){ bufs[i], sizeof bufs[i] };
    msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &iovs[i], .msg_iovlen = 1 };
  }
  long got = 0;
  double t = 0, cpu = 0;
  while (got < warm + count) {
    long n;
    if (batch == 1) {
      n = recvfrom(fd, bufs[0], sizeof bufs[0], 0, NULL, NULL) < 0 ? -1 : 1;
    } else {
      n = recvmmsg(fd, msgs, batch, MSG_WAITFORONE, NULL);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      die("recv");
    }
    if (got < warm && got + n >= warm) {
      t = now();
      cpu = cpu_us();
    }
    got += n;
  }
  double seconds = now() - t, cpus = cpu_us() - cpu;
  unsigned int meminfo[SK_MEMINFO_VARS] = { 0 };
  socklen_t len = sizeof meminfo;
  if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, meminfo, &len) < 0) die("SO_MEMINFO");
  printf("{\"received\":%ld,\"seconds\":%f,\"cpuUs\":%f,\"drops\":%u}\n", got - warm, seconds,
         cpus, meminfo[SK_MEMINFO_DROPS]);
  return 0;
}

static int batch_arg(const char *text) {
  int b = atoi(text);
  if (b < 1 || b > MAXBATCH) {
    fprintf(stderr, "BATCH must be from 1 to %d\n", MAXBATCH);
    exit(2);
  }
  return b;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "sink")) return sink();
  if (argc == 5 && !strcmp(argv[1], "send")) return sender(argv[2], atol(argv[3]), batch_arg(argv[4]));
  if (argc == 3 && !strcmp(argv[1], "source")) source(argv[2]);
  if (argc == 5 && !strcmp(argv[1], "recv")) return receiver(atol(argv[2]), atol(argv[3]), batch_arg(argv[4]));
  fprintf(stderr, "usage: udp_peer sink | send PORT COUNT BATCH | source PORT | recv WARM COUNT BATCH\n");
  return 2;
}
