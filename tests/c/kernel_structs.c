/* Prints, as JSON, the ICMP, netlink and error-queue numbers and layouts the kernel tests
 * (tests/ffi_kernel_raw_test.ts, tests/ffi_kernel_netlink_test.ts) build and parse by hand. */
#define _GNU_SOURCE
#include <time.h>
#include <linux/errqueue.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stddef.h>
#include <stdio.h>

#define P(x) printf("%s\"%s\": %lld", first ? "" : ", ", #x, (long long)(x)), first = 0;
#define S(name, x) printf(", \"%s\": %lld", name, (long long)(x));

int main(void) {
  int first = 1;
  printf("{");
  P(ICMP_ECHO) P(ICMP_ECHOREPLY) P(ICMP_DEST_UNREACH) P(ICMP_PORT_UNREACH)
  P(ICMP6_DST_UNREACH) P(ICMP6_DST_UNREACH_NOPORT)
  P(NETLINK_ROUTE) P(RTM_GETLINK) P(RTM_NEWLINK) P(NLMSG_DONE) P(NLMSG_ERROR)
  P(NLM_F_REQUEST) P(NLM_F_DUMP) P(NLM_F_MULTI) P(NLM_F_ACK) P(IFLA_IFNAME) P(IFLA_MTU)
  P(NLMSG_ALIGNTO) P(RTA_ALIGNTO)
  S("NLMSGHDR_SIZE", sizeof(struct nlmsghdr))
  S("IFINFOMSG_SIZE", sizeof(struct ifinfomsg))
  S("RTATTR_SIZE", sizeof(struct rtattr))
  S("NLMSGERR_SIZE", sizeof(struct nlmsgerr))
  S("SOCK_EXTENDED_ERR_SIZE", sizeof(struct sock_extended_err))
  S("EE_ERRNO_OFFSET", offsetof(struct sock_extended_err, ee_errno))
  S("EE_ORIGIN_OFFSET", offsetof(struct sock_extended_err, ee_origin))
  S("EE_TYPE_OFFSET", offsetof(struct sock_extended_err, ee_type))
  S("EE_CODE_OFFSET", offsetof(struct sock_extended_err, ee_code))
  S("EE_INFO_OFFSET", offsetof(struct sock_extended_err, ee_info))
  S("EE_DATA_OFFSET", offsetof(struct sock_extended_err, ee_data))
  S("IFI_INDEX_OFFSET", offsetof(struct ifinfomsg, ifi_index))
  S("IFI_FLAGS_OFFSET", offsetof(struct ifinfomsg, ifi_flags))
  printf("}\n");
  return 0;
}
