/**
 * Linux values of the fcntl, epoll and ioctl constants the ffi backend uses
 * internally. tests/ffi_layout_test.ts compares each with the system headers.
 *
 * @module
 */

/** fcntl(2), epoll(7), ioctl(2) and struct-layout numbers for Linux x86-64. */
export const linuxSys = {
  F_GETFL: 3,
  F_SETFL: 4,
  F_SETOWN: 8,
  F_GETFD: 1,
  F_SETFD: 2,
  FD_CLOEXEC: 1,
  O_ASYNC: 0x2000,
  O_NONBLOCK: 0x800,
  EPOLLIN: 0x1,
  EPOLLPRI: 0x2,
  EPOLLOUT: 0x4,
  EPOLLERR: 0x8,
  EPOLLHUP: 0x10,
  EPOLLRDHUP: 0x2000,
  EPOLLET: 0x80000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLL_CLOEXEC: 0x80000,
  FIONREAD: 0x541b,
  SIOCATMARK: 0x8905,
  SIGIO: 29,
  /** sizeof(struct epoll_event): packed on x86-64. */
  EPOLL_EVENT_SIZE: 12,
  /** sizeof(struct msghdr). */
  MSGHDR_SIZE: 56,
  /** sizeof(struct iovec). */
  IOVEC_SIZE: 16,
  /** sizeof(struct cmsghdr). */
  CMSGHDR_SIZE: 16,
  /** sizeof(struct mmsghdr). */
  MMSGHDR_SIZE: 64,
} as const;
