package io.wgmon.capture.pcap;

import java.util.List;

/** One-line operator messages for a pcap capture that cannot start. Pure, so they are unit tested. */
final class PcapStartErrors {

    private PcapStartErrors() {
    }

    static String libraryMissing(List<String> triedNames) {
        return "wgmon.monitor=bpf needs libpcap, which is not installed (tried " + String.join(", ", triedNames)
                + "): install it (Debian/Ubuntu: apt-get install libpcap0.8; Alpine: apk add libpcap;"
                + " Fedora/RHEL: dnf install libpcap) or use wgmon.monitor=nflog";
    }

    /**
     * @param status     what pcap_activate returned (negative)
     * @param statusText pcap_statustostr(status)
     * @param detail     pcap_geterr after the failure, often more precise than the status
     * @param interfaces the interfaces of this network namespace, for a name that does not exist
     */
    static String activation(String interfaceName, int status, String statusText, String detail,
                             List<String> interfaces) {
        return switch (status) {
            case Libpcap.ERROR_NO_SUCH_DEVICE -> "capture interface '" + interfaceName
                    + "' does not exist in this network namespace; interfaces here: "
                    + (interfaces.isEmpty() ? "(none found)" : String.join(", ", interfaces))
                    + "; set wgmon.bpf.interface";
            case Libpcap.ERROR_PERM_DENIED -> "capturing on '" + interfaceName + "' needs CAP_NET_RAW"
                    + " (run as root or grant it: podman/docker --cap-add NET_RAW, Kubernetes"
                    + " securityContext.capabilities.add [NET_RAW], systemd AmbientCapabilities=CAP_NET_RAW);"
                    + " libpcap said: " + oneLine(detail);
            case Libpcap.ERROR_PROMISC_PERM_DENIED -> "promiscuous mode on '" + interfaceName
                    + "' was refused: grant CAP_NET_ADMIN or set wgmon.bpf.promiscuous=false (WireGuard's own"
                    + " port needs no promiscuous mode); libpcap said: " + oneLine(detail);
            case Libpcap.ERROR_IFACE_NOT_UP -> "capture interface '" + interfaceName + "' is down: bring it up"
                    + " (ip link set " + interfaceName + " up) or set wgmon.bpf.interface";
            default -> "cannot capture on '" + interfaceName + "': " + oneLine(statusText)
                    + (detail == null || detail.isBlank() ? "" : " (" + oneLine(detail) + ")");
        };
    }

    static String filter(String filter, String detail) {
        return "wgmon.bpf.filter '" + filter + "' is not a valid pcap filter: " + oneLine(detail)
                + " (see man pcap-filter; the default is 'udp and dst port 3000 and (udp[8] = 1 or udp[8] = 2 or (udp[8] = 4 and udp[16:4] = 0 and udp[20:4] = 0))')";
    }

    static String linkType(String interfaceName, int linkType, String linkTypeName) {
        return "capture interface '" + interfaceName + "' has link type "
                + (linkTypeName == null ? "" : linkTypeName + " ") + "(DLT " + linkType + "), which wgmon cannot"
                + " read: use an Ethernet, Linux cooked (any) or raw IP interface in wgmon.bpf.interface";
    }

    static String step(String interfaceName, String step, String detail) {
        return "cannot capture on '" + interfaceName + "' (" + step + "): " + oneLine(detail);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
