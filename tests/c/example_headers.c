/*
 * The numbers the examples (in examples/) write out themselves because the
 * library's constants do not carry them: rtnetlink, link layer, ICMP, the
 * error queue's struct, syslog priorities. Prints them from the system headers
 * as one JSON object; tests/example_headers_test.ts compares.
 */
#include <stdio.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <syslog.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/errqueue.h>

static int first = 1;
static void put(const char *name, long value) {
  printf("%s\"%s\": %ld", first ? "{" : ", ", name, value);
  first = 0;
}
#define P(name) put(#name, (long)(name))

int main(void) {
  /* rtnetlink (examples/netlink_monitor.ts RTNL) */
  P(NLMSG_ERROR); P(NLMSG_DONE); P(NLM_F_REQUEST); P(NLM_F_DUMP);
  P(RTM_NEWLINK); P(RTM_DELLINK); P(RTM_GETLINK); P(RTM_NEWADDR); P(RTM_DELADDR);
  P(RTMGRP_LINK); P(RTMGRP_IPV4_IFADDR); P(RTMGRP_IPV6_IFADDR);
  P(IFLA_ADDRESS); P(IFLA_IFNAME); P(IFLA_MTU); P(IFLA_OPERSTATE);
  P(IFA_ADDRESS); P(IFA_LOCAL); P(IFA_LABEL);
  P(RT_SCOPE_UNIVERSE); P(RT_SCOPE_SITE); P(RT_SCOPE_LINK); P(RT_SCOPE_HOST); P(RT_SCOPE_NOWHERE);
  P(IFF_UP); P(IFF_BROADCAST); P(IFF_LOOPBACK); P(IFF_POINTOPOINT); P(IFF_NOARP);
  P(IFF_PROMISC); P(IFF_ALLMULTI); P(IFF_MULTICAST); P(IFF_LOWER_UP); P(IFF_DORMANT);
  P(AF_INET); P(AF_INET6);
  put("NLMSGHDR_SIZE", sizeof(struct nlmsghdr));
  put("IFINFOMSG_SIZE", sizeof(struct ifinfomsg));
  put("IFADDRMSG_SIZE", sizeof(struct ifaddrmsg));
  P(IF_OPER_UNKNOWN); P(IF_OPER_NOTPRESENT); P(IF_OPER_DOWN); P(IF_OPER_LOWERLAYERDOWN);
  P(IF_OPER_TESTING); P(IF_OPER_DORMANT); P(IF_OPER_UP);
  /* link layer (examples/capture.ts LINK) */
  P(ETH_P_ALL); P(ETH_P_IP); P(ETH_P_IPV6); P(PACKET_OUTGOING); P(ARPHRD_LOOPBACK);
  /* ICMP (examples/ping.ts, traceroute.ts, capture.ts ICMP) */
  P(ICMP_ECHO); P(ICMP_ECHOREPLY); P(ICMP_DEST_UNREACH); P(ICMP_TIME_EXCEEDED);
  P(ICMP_NET_UNREACH); P(ICMP_HOST_UNREACH); P(ICMP_PROT_UNREACH); P(ICMP_PORT_UNREACH);
  P(ICMP_NET_ANO); P(ICMP_HOST_ANO); P(ICMP_PKT_FILTERED);
  P(ICMP6_ECHO_REQUEST); P(ICMP6_ECHO_REPLY); P(ICMP6_DST_UNREACH); P(ICMP6_TIME_EXCEEDED);
  P(ICMP6_DST_UNREACH_NOROUTE); P(ICMP6_DST_UNREACH_ADMIN); P(ICMP6_DST_UNREACH_ADDR);
  P(ICMP6_DST_UNREACH_NOPORT);
  /* the error queue (examples/traceroute.ts) */
  put("SOCK_EXTENDED_ERR_SIZE", sizeof(struct sock_extended_err));
  /* syslog (examples/syslog.ts FACILITIES, LEVELS) */
  P(LOG_KERN); P(LOG_USER); P(LOG_MAIL); P(LOG_DAEMON); P(LOG_AUTH); P(LOG_SYSLOG);
  P(LOG_LPR); P(LOG_NEWS); P(LOG_UUCP); P(LOG_CRON); P(LOG_AUTHPRIV); P(LOG_FTP);
  P(LOG_LOCAL0); P(LOG_LOCAL1); P(LOG_LOCAL2); P(LOG_LOCAL3); P(LOG_LOCAL4); P(LOG_LOCAL5);
  P(LOG_LOCAL6); P(LOG_LOCAL7);
  P(LOG_EMERG); P(LOG_ALERT); P(LOG_CRIT); P(LOG_ERR); P(LOG_WARNING); P(LOG_NOTICE);
  P(LOG_INFO); P(LOG_DEBUG);
  printf("}\n");
  return 0;
}
