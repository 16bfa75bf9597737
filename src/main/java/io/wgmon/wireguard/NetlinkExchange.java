package io.wgmon.wireguard;

import io.wgmon.netlink.NetlinkMessage;

import java.util.List;

/** One netlink request and the reading of its reply, datagram by datagram; no socket inside. */
interface NetlinkExchange {

    /** The whole request message, header included. */
    byte[] request();

    /**
     * Takes one received datagram; the messages are valid only during the call.
     *
     * @return true once the reply is complete
     * @throws WireGuardException when a message of the reply is malformed
     */
    boolean accept(List<NetlinkMessage> datagram) throws WireGuardException;
}
