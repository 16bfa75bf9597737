package io.wgmon.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.wgmon.testbed.LivePrerequisites;
import org.junit.jupiter.api.BeforeEach;

import java.net.SocketException;
import java.net.URL;

/**
 * Both servers of the running application, and this host's own non-loopback address: requests to it
 * come from it, so to the gate they come from another host.
 */
abstract class FromAnotherHost {
    @TestHTTPResource("/")
    URL main;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    String stranger;

    @BeforeEach
    void aNonLoopbackAddressOfThisHost() throws SocketException {
        stranger = LivePrerequisites.require(ThisHost.nonLoopbackAddress(), "a non-loopback address of this host to send from");
    }
}
