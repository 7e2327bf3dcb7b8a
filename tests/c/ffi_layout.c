/* Prints the fcntl/epoll/ioctl constants and struct sizes the ffi backend uses, as JSON. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define P(x) printf("%s\"%s\": %lld", first ? "" : ", ", #x, (long long)(x)), first = 0;
#define S(name, x) printf(", \"%s\": %lld", name, (long long)(x));

int main(void) {
  int first = 1;
  printf("{");
  P(F_GETFL) P(F_SETFL) P(F_SETOWN) P(F_GETFD) P(F_SETFD) P(FD_CLOEXEC) P(O_ASYNC) P(O_NONBLOCK)
  P(EPOLLIN) P(EPOLLPRI) P(EPOLLOUT) P(EPOLLERR) P(EPOLLHUP) P(EPOLLRDHUP) P(EPOLLET)
  P(EPOLL_CTL_ADD) P(EPOLL_CTL_DEL) P(EPOLL_CLOEXEC) P(FIONREAD) P(SIOCATMARK) P(SIGIO)
  S("EPOLL_EVENT_SIZE", sizeof(struct epoll_event))
  S("MSGHDR_SIZE", sizeof(struct msghdr))
  S("IOVEC_SIZE", sizeof(struct iovec))
  S("CMSGHDR_SIZE", sizeof(struct cmsghdr))
  S("MMSGHDR_SIZE", sizeof(struct mmsghdr))
  printf("}\n");
  return 0;
}
